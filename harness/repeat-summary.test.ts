import { ZERO_TRANSACTION_COUNTS } from './checker/check-types';
import { baseScenarioName, formatRepeatSummary, summarizeRepeats } from './repeat-summary';
import type { ScenarioResult } from '../reports/results-types';
import type { Counts, Verdict } from './checker/check-types';

const counts = (over: Partial<Counts> = {}): Counts => ({
  attempted: 10, acked: 10, failed: 0, indeterminate: 0, observed: 10, lostAcked: 0, undelivered: 0,
  deliveredDespiteError: 0, duplicates: 0, reordered: 0, offsetMismatch: 0, unexpected: 0, exposedSends: 0, resends: 0, undeliveredDespiteHealthyTry: 0, ...ZERO_TRANSACTION_COUNTS, ...over,
});
const result = (name: string, verdict: Verdict, over: Partial<Counts> = {}) => ({ name, verdict, counts: counts(over) }) as ScenarioResult;

test('repeat names map back to their base scenario', () => {
  expect(baseScenarioName('semantics/acks0/leader-kill')).toBe('semantics/acks0/leader-kill');
  expect(baseScenarioName('semantics/acks0/leader-kill#12')).toBe('semantics/acks0/leader-kill');
  expect(baseScenarioName('a#b#2')).toBe('a#b');
});

test('per base scenario: verdict tallies and how often each count was > 0, in first-seen order', () => {
  const summary = summarizeRepeats([
    result('b/x', 'pass', { lostAcked: 3 }),
    result('a/y', 'fail', { duplicates: 1 }),
    result('b/x#2', 'pass', { lostAcked: 1, failed: 2 }),
    result('b/x#3', 'unknown'),
    result('a/y#2', 'pass'),
  ]);
  expect(summary.map((e) => e.name)).toEqual(['b/x', 'a/y']);
  expect(summary[0]).toMatchObject({ runs: 3, verdicts: { pass: 2, fail: 0, unknown: 1 }, nonzero: { lostAcked: 2, failed: 1, duplicates: 0 } });
  expect(summary[1]).toMatchObject({ runs: 2, verdicts: { pass: 1, fail: 1, unknown: 0 }, nonzero: { duplicates: 1, lostAcked: 0 } });
});

test('the table shows k/N per count', () => {
  const text = formatRepeatSummary(summarizeRepeats([result('s', 'pass', { reordered: 4 }), result('s#2', 'fail')]));
  const row = text.split('\n').find((l) => l.startsWith('s '))!;
  expect(row).toMatch(/\b2\s+1\/1\/0\b/);
  expect(row.trim().split(/\s+/)).toContain('1/2');
  expect(formatRepeatSummary([])).toBe('');
});

test('ranges: min, median (lower middle) and max of every count over the runs', () => {
  const [entry] = summarizeRepeats([result('s', 'pass', { undelivered: 7 }), result('s#2', 'pass', { undelivered: 1 }), result('s#3', 'fail', { undelivered: 4 }), result('s#4', 'pass', { undelivered: 9 })]);
  expect(entry.ranges?.undelivered).toEqual({ min: 1, median: 4, max: 9 });
  expect(entry.ranges?.lostAcked).toEqual({ min: 0, median: 0, max: 0 });
});
