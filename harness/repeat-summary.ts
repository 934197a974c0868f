import { COUNT_NAMES, type CountName, type Verdict } from './checker/check-types';
import { nearestRank } from './checker/percentiles';
import type { RepeatSummaryEntry, ScenarioResult } from '../reports/results-types';

/** Counts whose being > 0 the summary tallies: the client's own errors, then the anomalies. */
export const SUMMARY_COUNTS: readonly CountName[] = [
  'failed', 'indeterminate', 'lostAcked', 'undelivered', 'deliveredDespiteError', 'duplicates', 'reordered', 'offsetMismatch', 'unexpected',
];

/** "semantics/acks0/x#3" → "semantics/acks0/x" (run-suite names repeats name#2, name#3, …). */
export function baseScenarioName(name: string): string {
  return name.replace(/#\d+$/, '');
}

/** min / median / max of some runs' values (the nearest-rank median: of an even number, the lower middle). */
export function countRange(values: readonly number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0] ?? 0, median: nearestRank(sorted, 50), max: sorted[sorted.length - 1] ?? 0 };
}

/**
 * Per base scenario name, in first-seen order: how often each verdict occurred, each count was > 0,
 * and every count's min / median / max over the runs.
 */
export function summarizeRepeats(scenarios: readonly ScenarioResult[]): RepeatSummaryEntry[] {
  const byName = new Map<string, { entry: RepeatSummaryEntry; values: Map<CountName, number[]> }>();
  for (const result of scenarios) {
    const name = baseScenarioName(result.name);
    let slot = byName.get(name);
    if (!slot) {
      slot = { entry: { name, runs: 0, verdicts: { pass: 0, fail: 0, unknown: 0 }, nonzero: Object.fromEntries(SUMMARY_COUNTS.map((c) => [c, 0])) }, values: new Map() };
      byName.set(name, slot);
    }
    const { entry, values } = slot;
    entry.runs++;
    entry.verdicts[result.verdict as Verdict] = (entry.verdicts[result.verdict as Verdict] ?? 0) + 1;
    for (const count of SUMMARY_COUNTS) if ((result.counts?.[count] ?? 0) > 0) entry.nonzero[count] = (entry.nonzero[count] ?? 0) + 1;
    for (const count of COUNT_NAMES) values.set(count, [...(values.get(count) ?? []), result.counts?.[count] ?? 0]);
  }
  return [...byName.values()].map(({ entry, values }) => ({
    ...entry,
    ranges: Object.fromEntries([...values].map(([count, list]) => [count, countRange(list)])),
  }));
}

const SHORT: Partial<Record<CountName, string>> = {
  failed: 'failed', indeterminate: 'indet', lostAcked: 'lostAck', undelivered: 'undeliv', deliveredDespiteError: 'dDespErr',
  duplicates: 'dups', reordered: 'reord', offsetMismatch: 'offMism', unexpected: 'unexp',
};

/**
 * A plain-text table: one row per base scenario, verdicts as pass/fail/unknown, then for each
 * count "k/N" = in k of N runs it was > 0.
 */
export function formatRepeatSummary(entries: readonly RepeatSummaryEntry[]): string {
  if (entries.length === 0) return '';
  const header = ['scenario', 'runs', 'pass/fail/unk', ...SUMMARY_COUNTS.map((c) => SHORT[c] ?? c)];
  const rows = entries.map((e) => [
    e.name,
    String(e.runs),
    `${e.verdicts.pass}/${e.verdicts.fail}/${e.verdicts.unknown}`,
    ...SUMMARY_COUNTS.map((c) => `${e.nonzero[c] ?? 0}/${e.runs}`),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [
    'repeat summary — verdicts, and in how many runs each count was > 0:',
    line(header),
    ...rows.map(line),
  ].join('\n');
}
