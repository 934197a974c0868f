import type { CountName } from '../harness/checker/check-types';
import type { MeasuredCondition } from './measured-conditions';
import type { RepeatSummaryEntry, RunResults } from './results-types';

/**
 * The committed summary of a `--repeat N` run (docs/measured/*.json) and the README table made
 * from it, so the README's numbers always come from a results file and cannot drift from it.
 */

/** The counts the README table shows, in column order. */
export const MEASURED_COLUMNS: readonly CountName[] = [
  'undelivered', 'lostAcked', 'indeterminate', 'failed', 'deliveredDespiteError', 'duplicates', 'exposedSends', 'resends',
];

export interface MeasuredSummary {
  kind: 'kchaos-measured';
  suite: string;
  /** Runs per scenario. */
  repeat: number;
  measuredAt: string;
  kafkaVersion: string;
  /** Wall time of the whole repeat run. */
  durationMs: number;
  /** How many runs, side by side on one machine, split the suite between them. @default 1 */
  parts?: number;
  machine: { cores: number; node: string };
  scenarios: Array<{ name: string; runs: number; verdicts: RepeatSummaryEntry['verdicts']; ranges: Record<string, [number, number, number]> }>;
  /** Later repeat runs of some of the suite's scenarios (a prefix), merged in: their rows replace or join the first run's. */
  merged?: MergedRun[];
  /** Rows re-measured under a named condition of the machine, kept beside the main rows (reports/measured-conditions.ts). */
  conditions?: MeasuredCondition[];
}

/** A repeat run of the scenarios under one prefix (e.g. seed/confluent/), merged into a suite's summary. */
export interface MergedRun {
  prefix: string;
  /** The scenarios it measured (absent in summaries merged before it was recorded: then the prefix's). */
  names?: string[];
  repeat: number;
  measuredAt: string;
  kafkaVersion: string;
  durationMs: number;
  machine: { cores: number; node: string };
}

/** Compacts a repeat run's results.json into the summary committed under docs/measured/. */
export function measuredSummary(results: RunResults, machine: MeasuredSummary['machine'], parts = 1): MeasuredSummary {
  if (!results.repeatSummary || !results.run.repeat || results.run.repeat < 2) {
    throw new Error('results.json has no repeatSummary: make it with kchaos run SUITE --repeat N (N ≥ 2)');
  }
  return {
    kind: 'kchaos-measured',
    suite: results.run.suite ?? 'unknown',
    repeat: results.run.repeat,
    measuredAt: results.run.finishedAt,
    kafkaVersion: results.run.kafkaVersion,
    durationMs: Date.parse(results.run.finishedAt) - Date.parse(results.run.startedAt),
    ...(parts > 1 ? { parts } : {}),
    machine,
    scenarios: results.repeatSummary.map((e) => ({
      name: e.name,
      runs: e.runs,
      verdicts: e.verdicts,
      ranges: Object.fromEntries(Object.entries(e.ranges ?? {}).map(([c, r]) => [c, [r!.min, r!.median, r!.max]])),
    })),
  };
}

/** The folder all the names share, up to and including its last '/': "seed/confluent/". */
export function commonPrefix(names: string[]): string {
  if (names.length === 0) return '';
  let prefix = names[0];
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/**
 * `base` with `addition`'s scenarios merged in (a re-measured scenario replaces its row), rows in
 * `order` (the suite's), so a repeat run of one client's scenarios keeps every other client's
 * committed rows. The addition is named by its scenarios' common prefix.
 */
export function mergeSummaries(base: MeasuredSummary, addition: MeasuredSummary, order: readonly string[]): MeasuredSummary {
  if (base.suite !== addition.suite) throw new Error(`cannot merge suite ${addition.suite} into the summary of suite ${base.suite}`);
  const prefix = commonPrefix(addition.scenarios.map((s) => s.name));
  if (!prefix.includes('/')) throw new Error('the merged run\'s scenarios share no prefix (e.g. seed/confluent/): merge one client\'s or folder\'s run at a time');
  const added = new Set(addition.scenarios.map((s) => s.name));
  const position = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const scenarios = [...base.scenarios.filter((s) => !added.has(s.name)), ...addition.scenarios].sort((a, b) => position(a.name) - position(b.name));
  const run = mergedRunOf(addition);
  return { ...base, scenarios, merged: [...(base.merged ?? []).filter((m) => m.prefix !== prefix), run] };
}

/** The repeat run behind `addition`'s rows, as a summary records it beside its own first run. */
export function mergedRunOf(addition: MeasuredSummary): MergedRun {
  const names = addition.scenarios.map((s) => s.name);
  const { repeat, measuredAt, kafkaVersion, durationMs, machine } = addition;
  return { prefix: commonPrefix(names), names, repeat, measuredAt, kafkaVersion, durationMs, machine };
}

/** A min–max cell: one number when they are equal. */
export const range = ([min, , max]: [number, number, number]) => (min === max ? String(min) : `${min}–${max}`);

/** What a merged run ran: its one scenario, its scenarios when they share no folder below the suite, else their folder. */
const ranNames = (m: MergedRun, suite: string) =>
  m.names && (m.names.length === 1 || m.prefix === `${suite}/`) ? m.names.join(' ') : m.prefix;

/**
 * Which merged run a row was last measured by: the index of the latest one that names it (or,
 * without names, whose prefix it has: a later, narrower re-run wins); -1 for the first run's rows.
 */
export const mergedRunOwner = (merged: readonly MergedRun[]) => (name: string): number =>
  merged.map((m) => (m.names ? m.names.includes(name) : name.startsWith(m.prefix))).lastIndexOf(true);

/** The README block: a line saying what was run, then one row per scenario (min–max over the runs). */
export function measuredTable(summary: MeasuredSummary): string {
  const merged = summary.merged ?? [];
  const owner = mergedRunOwner(merged);
  const first = summary.scenarios.filter((s) => owner(s.name) < 0);
  const passedOf = (rows: MeasuredSummary['scenarios']) =>
    `${rows.reduce((n, s) => n + s.verdicts.pass, 0)} of ${rows.reduce((n, s) => n + s.runs, 0)} scenario runs passed`;
  const minutes = (ms: number) => Math.round(ms / 60_000);
  const mergedLines = merged.map(
    (m, i) =>
      `Then \`kchaos run ${ranNames(m, summary.suite)} --repeat ${m.repeat}\` on ${m.measuredAt.slice(0, 10)}, Kafka ${m.kafkaVersion}, ${m.machine.cores} cores, Node ${m.machine.node}: ` +
      `${passedOf(summary.scenarios.filter((s) => owner(s.name) === i))} (${minutes(m.durationMs)} min). `,
  );
  const lines = [
    `\`kchaos run ${summary.suite} --repeat ${summary.repeat}\` on ${summary.measuredAt.slice(0, 10)}, Kafka ${summary.kafkaVersion}, ` +
      `${summary.machine.cores} cores, Node ${summary.machine.node}: ${passedOf(first)} (${minutes(summary.durationMs)} min` +
      `${summary.parts ? `, ${summary.parts} runs side by side on one machine` : ''}). ` +
      mergedLines.join('') +
      'Each cell is min–max over the runs (from `docs/measured/' + `${summary.suite}-repeat.json\`).`,
    '',
    `| scenario | passed | ${MEASURED_COLUMNS.join(' | ')} |`,
    `|---|---|${MEASURED_COLUMNS.map(() => '---').join('|')}|`,
    ...summary.scenarios.map((s) => {
      const cells = MEASURED_COLUMNS.map((c) => (s.ranges[c] ? range(s.ranges[c]) : '—'));
      return `| ${s.name.replace(`${summary.suite}/`, '')} | ${s.verdicts.pass}/${s.runs} | ${cells.join(' | ')} |`;
    }),
  ];
  return lines.join('\n');
}

export const MEASURED_START = '<!-- measured:start (generated by scripts/measured.ts from docs/measured; do not edit) -->';
export const MEASURED_END = '<!-- measured:end -->';
/** The block of reports/fault-comparison-table.ts, in "What the faults really do". */
export const FAULTS_COMPARED_START = '<!-- faults-compared:start (generated by scripts/measured.ts from docs/measured; do not edit) -->';
export const FAULTS_COMPARED_END = '<!-- faults-compared:end -->';

/** The README with one generated block replaced (the seed table's by default); throws when its markers are missing. */
export function withMeasuredBlock(readme: string, table: string, start = MEASURED_START, end = MEASURED_END): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no ${start} … ${end} block`);
  return `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`;
}
