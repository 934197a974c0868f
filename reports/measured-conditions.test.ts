import { conditionLines, rowsOf, withCondition } from './measured-conditions';
import type { MeasuredSummary } from './measured-table';

const row = (name: string, runs: number, min: number, max: number): MeasuredSummary['scenarios'][number] => ({
  name, runs, verdicts: { pass: runs, fail: 0, unknown: 0 }, ranges: { undelivered: [min, min, max] },
});
const base: MeasuredSummary = {
  kind: 'kchaos-measured', suite: 'seed', repeat: 10, measuredAt: '2026-11-30T10:00:00.000Z', kafkaVersion: '4.3.1', durationMs: 60_000,
  machine: { cores: 2, node: '20' }, scenarios: [row('seed/a/x', 10, 49, 59), row('seed/a/y', 10, 40, 50)],
};
const loaded = (rows: MeasuredSummary['scenarios']): MeasuredSummary => ({ ...base, measuredAt: '2026-12-01T10:00:00.000Z', scenarios: rows });

test('rows measured under a condition sit beside the quiet rows, which stay as committed', () => {
  const summary = withCondition(base, loaded([row('seed/a/x', 10, 73, 86)]), 'one core busy', 'a spin loop on one of 2 cores');
  expect(summary.scenarios).toEqual(base.scenarios);
  expect(rowsOf(summary, 'seed/a/x').map((r) => [r.condition, r.row.ranges.undelivered[2]])).toEqual([[null, 59], ['one core busy', 86]]);
  expect(rowsOf(summary, 'seed/a/y').map((r) => r.condition)).toEqual([null]);
});

test('re-filing under the same condition replaces that row only; another condition gets its own block', () => {
  const once = withCondition(base, loaded([row('seed/a/x', 10, 73, 86), row('seed/a/y', 5, 45, 55)]), 'one core busy', 'spin loop');
  const twice = withCondition(once, loaded([row('seed/a/x', 5, 70, 90)]), 'one core busy', 'spin loop');
  expect(twice.conditions).toHaveLength(1);
  expect(twice.conditions![0].scenarios.map((s) => [s.name, s.runs])).toEqual([['seed/a/y', 5], ['seed/a/x', 5]]);
  expect(withCondition(twice, loaded([row('seed/a/x', 5, 1, 2)]), 'two cores busy', 'two spin loops').conditions).toHaveLength(2);
});

test('a condition row must re-measure a row the summary has, and a condition needs a name and a description', () => {
  expect(() => withCondition(base, loaded([row('seed/a/new', 5, 1, 1)]), 'busy', 'why')).toThrow(/not in it: seed\/a\/new/);
  expect(() => withCondition(base, loaded([row('seed/a/x', 5, 1, 1)]), ' ', 'why')).toThrow(/--condition needs a name/);
  expect(() => withCondition(base, loaded([row('seed/a/x', 5, 1, 1)]), 'busy', '')).toThrow(/--why needs a description/);
  expect(() => withCondition(base, { ...loaded([]), suite: 'partitions' }, 'busy', 'why')).toThrow(/cannot file suite partitions/);
});

test("the README lines name the condition and show each row's undelivered range quiet and under load", () => {
  const summary = withCondition(base, loaded([row('seed/a/x', 10, 73, 86)]), 'one core busy', 'a spin loop on one of 2 cores');
  expect(conditionLines(summary)).toEqual([
    '',
    'Under the condition "one core busy" (a spin loop on one of 2 cores): `kchaos run seed/a/x --repeat 10` on 2026-12-01, 10 of 10 scenario runs passed. Undelivered, quiet vs under load:',
    '',
    '| scenario | quiet | under load |',
    '|---|---|---|',
    '| a/x | 49–59 | 73–86 |',
  ]);
  expect(conditionLines(base)).toEqual([]);
});
