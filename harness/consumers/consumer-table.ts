import { CONSUMER_COUNT_NAMES, type ConsumerCountName } from '../checker/consumer-check-types';
import type { ScenarioResult } from '../../reports/results-types';

/** The consumer counts a console table shows, in this order (records and commits are context). */
export const CONSUMER_TABLE_COUNTS: readonly ConsumerCountName[] = CONSUMER_COUNT_NAMES;

/**
 * A plain-text table of the consumer scenarios of a run: one row per scenario, the consumer
 * counts, p0's stall and the verdict. Empty when the run had no consumer scenario.
 */
export function formatConsumerTable(scenarios: readonly ScenarioResult[]): string {
  const rows = scenarios.filter((s) => s.consumer);
  if (rows.length === 0) return '';
  const header = ['consumer scenario', ...CONSUMER_TABLE_COUNTS, 'stallMs p0', 'verdict'];
  const body = rows.map((s) => [
    s.name,
    ...CONSUMER_TABLE_COUNTS.map((n) => String(s.consumer!.counts[n])),
    String(s.consumer!.stallMsByPartition['0'] ?? '-'),
    s.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const failing = rows.flatMap((s) => s.consumer!.expectations.filter((e) => !e.pass).map((e) => `  ${s.name}: consumer ${e.count} ${e.op} ${e.value}, actual ${e.actual}`));
  return [line(header), ...body.map(line), ...(failing.length ? ['', 'failing consumer expectations:', ...failing] : [])].join('\n');
}
