import fs from 'node:fs';
import path from 'node:path';
import { MEASURED_END, MEASURED_START, measuredSummary, measuredTable, withMeasuredBlock, type MeasuredSummary } from './measured-table';
import { summarizeRepeats } from '../harness/repeat-summary';
import { counts, runResults, scenarioResult } from './testing/results-builder';
import type { RunResults } from './results-types';


const ROOT = path.join(__dirname, '..');

test("the README's measured block is exactly the table made from the committed docs/measured file", () => {
  const summary = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'measured', 'seed-repeat.json'), 'utf8')) as MeasuredSummary;
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(withMeasuredBlock(readme, measuredTable(summary))).toBe(readme);
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
