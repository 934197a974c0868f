import { faultComparisonTable } from './fault-comparison-table';
import type { MeasuredSummary } from './measured-table';

type Triple = [number, number, number];
function summary(suite: string, scenarios: Array<[string, Record<string, Triple>]>): MeasuredSummary {
  return {
    kind: 'kchaos-measured', suite, repeat: 5, measuredAt: '2026-11-30T15:00:00.000Z', kafkaVersion: '4.3.1', durationMs: 1, machine: { cores: 2, node: '20' },
    scenarios: scenarios.map(([name, ranges]) => ({ name, runs: 5, verdicts: { pass: 5, fail: 0, unknown: 0 }, ranges })),
  };
}

const seed = summary('seed', [
  ['seed/kafkajs/round-robin/library-only/blackhole-k1', { undelivered: [32, 33, 34], attempted: [300, 300, 300], deliveredDespiteError: [0, 1, 2] }],
  ['seed/kafkajs/round-robin/library-only/blackhole-k1-midrun', { undelivered: [16, 20, 24], attempted: [300, 300, 300] }],
  ['seed/kafkajs/control/no-fault', { undelivered: [0, 0, 0], attempted: [300, 300, 300] }],
]);
const partitions = summary('partitions', [
  ['partitions/kafkajs/round-robin/library-only/blackhole-k1', { undelivered: [99, 99, 99], attempted: [300, 300, 300] }],
  ['partitions/kafkajs/round-robin/library-only/partition-k1', { undelivered: [90, 92, 93], attempted: [300, 300, 300], resends: [0, 0, 0], indeterminate: [4, 5, 7] }],
]);

test('one row per client / strategy / mode and fault start, one column per fault; controls left out', () => {
  const lines = faultComparisonTable([seed, partitions]).split('\n');
  expect(lines[2]).toBe('| client / strategy / mode | refuse | blackhole | partition | partition-oneway |');
  expect(lines.slice(4)).toEqual([
    '| kafkajs/round-robin/library-only | not measured | 32–34 of 300; despite error 0–2 | 90–93 of 300; unknown 4–7 | not measured |',
    '| kafkajs/round-robin/library-only, cut mid-run | not measured | 16–24 of 300 | not measured | not measured |',
  ]);
});

test('a scenario measured in two files is taken from the first one given, and both files are named', () => {
  const table = faultComparisonTable([seed, partitions]);
  expect(table).not.toMatch(/99 of 300/);
  expect(table).toMatch(/docs\/measured\/seed-repeat\.json.*and `docs\/measured\/partitions-repeat\.json`/);
});
