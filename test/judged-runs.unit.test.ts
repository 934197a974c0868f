import { judgedByCurrentPins, mergedRuns } from '../scripts/judged-runs';
import { counts, runResults, scenarioResult } from '../reports/testing/results-builder';

// The seed's control: every message must arrive.
const CONTROL = 'seed/kafkajs/round-robin/library-only/no-fault';
const run = (name: string, undelivered: number, error?: string) =>
  scenarioResult({ name, counts: counts({ attempted: 300, undelivered }), verdict: 'pass', ...(error ? { error } : {}) });

test('verdicts are judged by the pins as they stand; a run that errored is unknown and left out of the count ranges', () => {
  const judged = judgedByCurrentPins('seed', runResults([run(CONTROL, 0), run(`${CONTROL}#2`, 5), run(`${CONTROL}#3`, 300, 'read-back timed out')], { repeat: 3 }));
  expect(judged.scenarios.map((s) => s.verdict)).toEqual(['pass', 'fail', 'unknown']);
  const [entry] = judged.repeatSummary!;
  expect({ verdicts: entry.verdicts, undelivered: [entry.ranges?.undelivered?.min, entry.ranges?.undelivered?.max] }).toEqual({
    verdicts: { pass: 1, fail: 1, unknown: 1 },
    undelivered: [0, 5],
  });
});

test("several results files read as one: a later file's runs of a scenario replace an earlier file's, first start to last finish", () => {
  const first = runResults([run(CONTROL, 7)], { repeat: 1, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:10:00.000Z' });
  const second = runResults([run(CONTROL, 0)], { repeat: 1, startedAt: '2026-01-01T01:00:00.000Z', finishedAt: '2026-01-01T01:05:00.000Z' });
  const merged = mergedRuns([first, second]);
  expect(merged.scenarios.map((s) => s.counts.undelivered)).toEqual([0]);
  expect([merged.run.startedAt, merged.run.finishedAt]).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T01:05:00.000Z']);
  expect(() => mergedRuns([first, { ...second, run: { ...second.run, repeat: 5 } }])).toThrow(/different --repeat counts/);
});

test('an unknown suite is one clear error', () => {
  expect(() => judgedByCurrentPins('nope', runResults([]))).toThrow(/no suite "nope"/);
});
