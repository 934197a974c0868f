import type { MeasuredSummary } from '../reports/measured-table';
import { withoutEmptyMerges } from '../scripts/merged-owners';

const run = (prefix: string, names: string[] | undefined, measuredAt: string) => ({ prefix, names, repeat: 5, measuredAt, kafkaVersion: '4.3.1', durationMs: 1, machine: { cores: 2, node: '20' } });
const row = (name: string) => ({ name, runs: 5, verdicts: { pass: 5, fail: 0, unknown: 0 }, ranges: {} });

test('a merged run whose every row a later merge re-measured goes; one that still owns a row stays', () => {
  const summary = {
    kind: 'kchaos-measured', suite: 'seed', repeat: 10, measuredAt: 'x', kafkaVersion: '4.3.1', durationMs: 1, machine: { cores: 2, node: '20' },
    scenarios: [row('seed/a/one'), row('seed/a/two'), row('seed/b/one')],
    merged: [run('seed/a/', ['seed/a/one'], 'first'), run('seed/', ['seed/b/one', 'seed/a/two'], 'second'), run('seed/a/', ['seed/a/one', 'seed/a/two'], 'third')],
  } as MeasuredSummary;
  expect(withoutEmptyMerges(summary).merged!.map((m) => m.measuredAt)).toEqual(['second', 'third']);
});

test('a summary without merged runs is unchanged; prefix-only runs own by prefix', () => {
  const base = { kind: 'kchaos-measured', suite: 'seed', repeat: 10, measuredAt: 'x', kafkaVersion: '4.3.1', durationMs: 1, machine: { cores: 2, node: '20' }, scenarios: [row('seed/a/one')] } as MeasuredSummary;
  expect(withoutEmptyMerges(base).merged).toEqual([]);
  expect(withoutEmptyMerges({ ...base, merged: [run('seed/a/', undefined, 'old')] }).merged!.map((m) => m.measuredAt)).toEqual(['old']);
});
