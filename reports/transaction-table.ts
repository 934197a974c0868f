import { TRANSACTION_COUNT_NAMES } from '../harness/checker/check-types';
import type { ScenarioResult } from './results-types';
import { isTransactional } from './section-counts';

/**
 * A plain-text table of the transactional scenarios of a run (console reporter): one row per
 * scenario, the transaction counts and the verdict. A count whose expectation failed is marked `*`.
 * Empty when the run had no transactional scenario.
 */
export function formatTransactionTable(scenarios: readonly ScenarioResult[]): string {
  const rows = scenarios.filter(isTransactional);
  if (rows.length === 0) return '';
  const header = ['transaction scenario', ...TRANSACTION_COUNT_NAMES, 'verdict'];
  const body = rows.map((s) => {
    const failing = new Set(s.expectations.filter((e) => !e.pass).map((e) => e.count as string));
    const counts = (s.counts ?? {}) as unknown as Record<string, unknown>;
    return [s.name, ...TRANSACTION_COUNT_NAMES.map((n) => `${typeof counts[n] === 'number' ? counts[n] : '-'}${failing.has(n) ? '*' : ''}`), s.verdict];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const marked = body.some((r) => r.some((cell, i) => i > 0 && cell.endsWith('*')));
  return [line(header), ...body.map(line), ...(marked ? ['* an expectation on this count failed'] : [])].join('\n');
}
