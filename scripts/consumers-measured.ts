/**
 * The consumers suite's measured numbers, from committed files only:
 *   npx tsx scripts/consumers-measured.ts RESULTS_JSON… [--recheck] [--kafka VERSION] [--merge] [--command TEXT]
 * compacts `kchaos run consumers --repeat N` runs (one, or several that split the suite between
 * them) into docs/measured/consumers-repeat.json and a table, docs/measured/consumers-repeat.md:
 * per scenario, its runs' consumer counts and per-partition stalls as min / median / max, and how
 * many runs the suite's claims as they stand now hold in. With --recheck, every run's consumer
 * counts come from the checker as it stands, re-run offline on its archived history and observed
 * files (kchaos check's path), not from results.json. With --merge, the committed summary's rows
 * that these runs did not measure are kept as they are (a repeat of one prefix, e.g.
 * `kchaos run consumers/java/ --repeat 5`, joins the others); every row names the measurement it
 * comes from (`measuredIn`, an index into `measurements`), --command says how that one was run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkConsumerFiles } from '../harness/checker/consumer-check-files';
import { evaluateConsumerExpectations } from '../harness/checker/consumer-checker';
import { CONSUMER_COUNT_NAMES, type ConsumerCountName } from '../harness/checker/consumer-check-types';
import { baseScenarioName } from '../harness/repeat-summary';
import { readResultsFile } from '../reports/results-file';
import type { ScenarioResult } from '../reports/results-types';
import { SUITES } from '../scenarios/suites';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'measured', 'consumers-repeat');

interface Range { min: number; median: number; max: number }

function range(values: number[]): Range {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.ceil(sorted.length / 2) - 1], max: sorted[sorted.length - 1] };
}

const cell = (r: Range) => (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`);
const letter = (i: number) => String.fromCharCode(65 + i);

/** How one set of runs was made. */
interface Measurement { command: string; startedAt: string; finishedAt: string; kafkaVersion: string; cores: number; node: string; rechecked: boolean }
interface Row { name: string; runs: number; claimsHold: number; unknown: number; claims: unknown; counts: Record<string, Range>; stallMs: Record<string, Range>; measuredIn?: number }
/** The committed file; one written before --merge existed has no `measurements` (its top level is the one). */
interface Summary extends Partial<Measurement> { suite: string; repeat: number; measurements?: Measurement[]; scenarios: Row[] }

/** The committed rows these runs did not measure, kept; these runs' rows replace or join them, in suite order. */
function mergeInto(old: Summary, measurement: Measurement, rows: Row[], order: string[]): Summary & { measurements: Measurement[] } {
  const measurements = old.measurements ?? [{ command: `kchaos run consumers --repeat ${old.repeat}`, startedAt: old.startedAt!, finishedAt: old.finishedAt!, kafkaVersion: old.kafkaVersion!, cores: old.cores!, node: old.node!, rechecked: old.rechecked ?? false }];
  const fresh = new Set(rows.map((r) => r.name));
  const kept = old.scenarios.filter((r) => !fresh.has(r.name)).map((r) => ({ ...r, measuredIn: r.measuredIn ?? 0 }));
  const used = [...new Set(kept.map((r) => r.measuredIn))].sort((a, b) => a - b);
  const renumber = new Map(used.map((old, i) => [old, i])); // measurements no row comes from any more are dropped
  const all = [...used.map((i) => measurements[i]), measurement];
  const merged = [...kept.map((r) => ({ ...r, measuredIn: renumber.get(r.measuredIn)! })), ...rows.map((r) => ({ ...r, measuredIn: all.length - 1 }))];
  merged.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return { suite: 'consumers', repeat: Math.max(old.repeat, ...rows.map((r) => r.runs)), measurements: all, scenarios: merged };
}

async function main(args: string[]): Promise<number> {
  const recheck = args.includes('--recheck');
  // --kafka V: the version, when the runs drove a cluster through --backend external (results say "unknown").
  const kafkaAt = args.indexOf('--kafka');
  const kafkaGiven = kafkaAt >= 0 ? args[kafkaAt + 1] : undefined;
  const commandAt = args.indexOf('--command');
  const merge = args.includes('--merge');
  const valueAt = [kafkaAt, commandAt].filter((i) => i >= 0).flatMap((i) => [i, i + 1]);
  const files = args.filter((a, i) => a !== '--recheck' && a !== '--merge' && !valueAt.includes(i));
  if (files.length === 0) {
    console.error('usage: scripts/consumers-measured.ts RESULTS_JSON… [--recheck]');
    return 2;
  }
  const suite = new Map(SUITES.consumers().map((s) => [s.name, s]));
  const runs: Array<{ file: string; scenario: ScenarioResult }> = [];
  let started = '';
  let finished = '';
  let kafkaVersion = '';
  let repeat = 0;
  for (const file of files) {
    const results = readResultsFile(file);
    started = !started || results.run.startedAt < started ? results.run.startedAt : started;
    finished = results.run.finishedAt > finished ? results.run.finishedAt : finished;
    kafkaVersion = kafkaGiven ?? results.run.kafkaVersion;
    repeat = Math.max(repeat, results.run.repeat ?? 1);
    for (const scenario of results.scenarios) runs.push({ file, scenario });
  }
  const byName = new Map<string, Array<{ file: string; scenario: ScenarioResult }>>();
  for (const run of runs) {
    const name = baseScenarioName(run.scenario.name);
    if (!suite.has(name)) throw new Error(`scenario ${run.scenario.name} is not in the consumers suite`);
    byName.set(name, [...(byName.get(name) ?? []), run]);
  }
  const scenarios = [];
  for (const [name, list] of [...byName].sort((a, b) => [...suite.keys()].indexOf(a[0]) - [...suite.keys()].indexOf(b[0]))) {
    const claims = suite.get(name)!.consumer!.expect;
    let holds = 0;
    let unknown = 0;
    for (const { file, scenario } of list) {
      if (recheck && !(scenario.error && !scenario.error.startsWith('consumer checker:'))) {
        // The checker as it stands, on the archived files: replaces what the run's checker said.
        const dir = path.dirname(file);
        const offline = await checkConsumerFiles(path.join(dir, scenario.artifacts.history), path.join(dir, scenario.artifacts.observed));
        if (!offline) throw new Error(`re-checking ${scenario.name}: no consumer op in its history`);
        scenario.consumer = { ...(scenario.consumer ?? ({} as NonNullable<ScenarioResult['consumer']>)), counts: offline.counts, stallMsByPartition: offline.stallMsByPartition };
        scenario.error = undefined;
      }
      if (!scenario.consumer || scenario.error) {
        unknown++;
        continue;
      }
      if (evaluateConsumerExpectations(claims, scenario.consumer.counts).every((e) => e.pass) && scenario.expectations.every((e) => e.pass)) holds++;
    }
    const measured = list.filter((r) => r.scenario.consumer && !r.scenario.error).map((r) => r.scenario.consumer!);
    const counts = Object.fromEntries(CONSUMER_COUNT_NAMES.map((n) => [n, range(measured.map((m) => m.counts[n]))])) as Record<ConsumerCountName, Range>;
    const partitions = [...new Set(measured.flatMap((m) => Object.keys(m.stallMsByPartition)))].sort();
    const stallMs = Object.fromEntries(partitions.map((p) => [p, range(measured.map((m) => m.stallMsByPartition[p] ?? 0))]));
    scenarios.push({ name, runs: list.length, claimsHold: holds, unknown, claims, counts, stallMs, measuredIn: 0 });
  }
  const measurement: Measurement = {
    command: commandAt >= 0 ? args[commandAt + 1] : `kchaos run consumers --repeat ${repeat}`,
    startedAt: started, finishedAt: finished, kafkaVersion, cores: os.cpus().length, node: process.versions.node, rechecked: recheck,
  };
  const summary = merge && fs.existsSync(`${OUT}.json`) ? mergeInto(JSON.parse(fs.readFileSync(`${OUT}.json`, 'utf8')) as Summary, measurement, scenarios, [...suite.keys()]) : { ...measurement, suite: 'consumers', repeat, measurements: [measurement], scenarios };
  fs.writeFileSync(`${OUT}.json`, JSON.stringify(summary, null, 1) + '\n');
  const shown: ConsumerCountName[] = ['processed', 'unconsumed', 'processedLost', 'processedTwice', 'pollSkip', 'nonmonotonicPoll', 'committedBeyondProcessed', 'rebalances', 'commitsFailed'];
  const lines = [
    ...summary.measurements.map((m, i) => `${letter(i)}: \`${m.command}\` (${m.startedAt.slice(0, 16)}–${m.finishedAt.slice(11, 16)} UTC), Kafka ${m.kafkaVersion}, ${m.cores} cores shared with other runs, Node ${m.node}${m.rechecked ? '; every run re-checked offline from its archived files' : ''}.`),
    '',
    'Each cell is min–max over the runs (from `docs/measured/consumers-repeat.json`); the last column names the measurement above.',
    '',
    `| scenario | claims hold | ${shown.join(' | ')} | stall ms p0 | stall ms p1 | stall ms p2 | run |`,
    `|---|---|${shown.map(() => '---').join('|')}|---|---|---|---|`,
    ...summary.scenarios.map((s) => `| ${s.name} | ${s.claimsHold}/${s.runs} | ${shown.map((n) => cell(s.counts[n])).join(' | ')} | ${['0', '1', '2'].map((p) => (s.stallMs[p] ? cell(s.stallMs[p]) : '-')).join(' | ')} | ${letter(s.measuredIn ?? 0)} |`),
  ];
  fs.writeFileSync(`${OUT}.md`, lines.join('\n') + '\n');
  console.log(`wrote docs/measured/consumers-repeat.{json,md} (${summary.scenarios.length} scenarios, ${scenarios.length} from these runs)`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
