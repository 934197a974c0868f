import fs from 'node:fs';
import path from 'node:path';
import { commonPrefix, MEASURED_END, MEASURED_START, measuredSummary, measuredTable, mergeSummaries, withMeasuredBlock, type MeasuredSummary } from './measured-table';
import { summarizeRepeats } from '../harness/repeat-summary';
import { counts, runResults, scenarioResult } from './testing/results-builder';
import type { RunResults } from './results-types';
import { measuredTableWithConditions } from './measured-conditions';


const ROOT = path.join(__dirname, '..');

test("the README's measured block is exactly the table made from the committed docs/measured file", () => {
  const summary = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'measured', 'seed-repeat.json'), 'utf8')) as MeasuredSummary;
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(withMeasuredBlock(readme, measuredTableWithConditions(summary))).toBe(readme);
});

function repeatRun(undelivered: number[]): RunResults {
  const scenarios = undelivered.map((u, i) => scenarioResult({ name: `seed/a/b${i === 0 ? '' : `#${i + 1}`}`, counts: counts({ undelivered: u }), verdict: u > 5 ? 'fail' : 'pass' }));
  const run = { startedAt: '2026-11-30T10:00:00.000Z', finishedAt: '2026-11-30T10:30:00.000Z', kafkaVersion: '4.3.1', suite: 'seed', repeat: undelivered.length };
  return { ...runResults(scenarios, run), repeatSummary: summarizeRepeats(scenarios) };
}

test('a row shows min–max over the runs and how many passed', () => {
  const table = measuredTable(measuredSummary(repeatRun([3, 9, 4]), { cores: 2, node: '20' }));
  expect(table).toMatch(/^`kchaos run seed --repeat 3` on 2026-11-30, Kafka 4\.3\.1, 2 cores, Node 20: 2 of 3 scenario runs passed \(30 min\)/);
  expect(table.split('\n').pop()).toBe('| a/b | 2/3 | 3–9 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
});

test('a results file without a repeat summary is refused with the command that makes one', () => {
  const single = { ...repeatRun([1]), repeatSummary: undefined };
  expect(() => measuredSummary(single, { cores: 2, node: '20' })).toThrow(/--repeat N/);
});

test('the block is replaced between its markers only, and missing markers are an error', () => {
  const readme = `intro\n${MEASURED_START}\nold\n${MEASURED_END}\noutro\n`;
  expect(withMeasuredBlock(readme, 'new')).toBe(`intro\n${MEASURED_START}\nnew\n${MEASURED_END}\noutro\n`);
  expect(() => withMeasuredBlock('no markers', 'new')).toThrow(/measured:start/);
});

test('a later run of one prefix merges in: its rows replace or join, every other row stays as committed, in suite order', () => {
  const row = (name: string, runs: number, undelivered: number): MeasuredSummary['scenarios'][number] => ({ name, runs, verdicts: { pass: runs, fail: 0, unknown: 0 }, ranges: { undelivered: [undelivered, undelivered, undelivered] } });
  const base: MeasuredSummary = {
    kind: 'kchaos-measured', suite: 'seed', repeat: 10, measuredAt: '2026-11-30T10:00:00.000Z', kafkaVersion: '4.3.1', durationMs: 60 * 60_000, parts: 3,
    machine: { cores: 2, node: '20' }, scenarios: [row('seed/a/x', 10, 1), row('seed/b/old', 10, 2), row('seed/c/z', 10, 3)],
  };
  const addition: MeasuredSummary = { ...base, repeat: 5, measuredAt: '2026-12-01T10:00:00.000Z', durationMs: 12 * 60_000, parts: undefined, scenarios: [row('seed/b/old', 5, 7), row('seed/b/new', 5, 8)] };
  const merged = mergeSummaries(base, addition, ['seed/a/x', 'seed/b/old', 'seed/b/new', 'seed/c/z']);
  expect(merged.scenarios.map((s) => [s.name, s.runs, s.ranges.undelivered[0]])).toEqual([['seed/a/x', 10, 1], ['seed/b/old', 5, 7], ['seed/b/new', 5, 8], ['seed/c/z', 10, 3]]);
  expect(merged.merged).toEqual([expect.objectContaining({ prefix: 'seed/b/', repeat: 5, durationMs: 12 * 60_000 })]);
  // Merging the same prefix again replaces its entry rather than adding one.
  expect(mergeSummaries(merged, addition, []).merged).toHaveLength(1);
  const line = measuredTable(merged).split('\n')[0];
  expect(line).toMatch(/^`kchaos run seed --repeat 10` on 2026-11-30, Kafka 4\.3\.1, 2 cores, Node 20: 20 of 20 scenario runs passed \(60 min, 3 runs side by side on one machine\)\. /);
  expect(line).toContain('Then `kchaos run seed/b/ --repeat 5` on 2026-12-01, Kafka 4.3.1, 2 cores, Node 20: 10 of 10 scenario runs passed (12 min). ');
  expect(() => mergeSummaries(base, { ...addition, suite: 'partitions' }, [])).toThrow(/cannot merge suite partitions/);
});

test('the common prefix of scenario names is the folder they share', () => {
  expect(commonPrefix(['seed/confluent/round-robin/a', 'seed/confluent/hashing/b'])).toBe('seed/confluent/');
  expect(commonPrefix(['seed/confluent/round-robin/a'])).toBe('seed/confluent/round-robin/');
  expect(commonPrefix(['seed/a', 'other/b'])).toBe('');
});
