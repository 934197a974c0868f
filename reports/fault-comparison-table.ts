import type { MeasuredSummary } from './measured-table';

/**
 * The README's "which findings change under a real partition" table: the seed's scenario (k1 cut
 * from the producer from the start or mid-run, cluster healthy) under the four ways of cutting it, one row per
 * client / strategy / mode, one column per fault. Cells come from the committed repeat summaries
 * (docs/measured/*-repeat.json); a scenario measured in more than one file is taken from the first
 * file given (the seed's own runs before the partitions suite's re-runs of the same scenario).
 */

export const COMPARED_FAULTS = ['refuse', 'blackhole', 'partition', 'partition-oneway'] as const;

type Ranges = MeasuredSummary['scenarios'][number]['ranges'];

/** `client/strategy/mode[ mid-run]/fault` of a seed or partitions scenario cutting k1, or undefined. */
function comparedKey(name: string): string | undefined {
  const match = /^(?:seed|partitions)\/([^/]+)\/([^/]+)\/(library-only|workaround)\/(refuse|blackhole|partition|partition-oneway)-k1(-midrun)?$/.exec(name);
  if (!match) return undefined;
  const [, client, strategy, mode, fault, midRun] = match;
  return `${client}/${strategy}/${mode}${midRun ? ', cut mid-run' : ''}/${fault}`;
}

const span = ([min, , max]: [number, number, number]) => (min === max ? String(min) : `${min}–${max}`);

/** One cell: undelivered of attempted, then what else changes between the faults (only when not 0). */
function cell(r: Ranges | undefined): string {
  if (!r?.undelivered) return 'not measured';
  const parts = [`${span(r.undelivered)} of ${r.attempted ? r.attempted[2] : '?'}`];
  if (r.deliveredDespiteError && r.deliveredDespiteError[2] > 0) parts.push(`despite error ${span(r.deliveredDespiteError)}`);
  if (r.indeterminate && r.indeterminate[2] > 0) parts.push(`unknown ${span(r.indeterminate)}`);
  if (r.resends && r.resends[2] > 0) parts.push(`resent ${span(r.resends)}`);
  return parts.join('; ');
}

/** Markdown: a line naming the sources, then the table. */
export function faultComparisonTable(summaries: MeasuredSummary[]): string {
  const ranges = new Map<string, { ranges: Ranges; runs: number }>();
  for (const summary of summaries) {
    for (const s of summary.scenarios) {
      const key = comparedKey(s.name);
      if (key && !ranges.has(key)) ranges.set(key, { ranges: s.ranges, runs: s.runs });
    }
  }
  const rows = [...new Set([...ranges.keys()].map((k) => k.split('/').slice(0, 3).join('/')))];
  const sources = summaries
    .map((s) => `\`docs/measured/${s.suite}-repeat.json\` (\`kchaos run ${s.suite} --repeat ${s.repeat}\`, ${s.measuredAt.slice(0, 10)})`)
    .join(' and ');
  return [
    `Undelivered messages (min–max over the runs) when k1 is cut from the producer from the start (or 1 s into the run), the cluster healthy; ` +
      `"despite error": reported failed yet delivered; "unknown": indeterminate outcomes; "resent": the workaround's resends. From ${sources}.`,
    '',
    `| client / strategy / mode | ${COMPARED_FAULTS.join(' | ')} |`,
    `|---|${COMPARED_FAULTS.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row} | ${COMPARED_FAULTS.map((f) => cell(ranges.get(`${row}/${f}`)?.ranges)).join(' | ')} |`),
  ].join('\n');
}
