import { anomalies, counts, scenarioResult } from '../reports/testing/results-builder';
import { firstSeqs, kchaosMatchers } from './matchers';

expect.extend(kchaosMatchers);

const clean = scenarioResult({ name: 'team/outbox/blackhole-k1', client: 'custom' });

const lossy = scenarioResult({
  name: 'team/plain/blackhole-k1',
  counts: counts({ attempted: 150, acked: 100, indeterminate: 50, observed: 100, undelivered: 50, lostAcked: 2, duplicates: 3, reordered: 4 }),
  anomalies: anomalies({
    undelivered: Array.from({ length: 50 }, (_, i) => i * 3),
    lostAcked: [7, 11],
    duplicates: [20, 21],
    reordered: [40, 41, 42, 43],
  }),
});

test('every matcher passes on a clean result', () => {
  expect(clean).toLoseNoAcknowledgedMessages();
  expect(clean).toDeliverEverything();
  expect(clean).toHaveNoDuplicates();
  expect(clean).toKeepOrder();
});

test('toDeliverEverything names the count, the attempted total and the first seqs', () => {
  expect(() => expect(lossy).toDeliverEverything()).toThrow(/undelivered 50 of 150 attempted messages: never read back \(acked 100, failed 0, unknown outcome 50\)/);
  expect(() => expect(lossy).toDeliverEverything()).toThrow(/first seqs: 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, … \(first 10 of 50\)/);
  expect(() => expect(lossy).toDeliverEverything()).toThrow(/scenario "team\/plain\/blackhole-k1" \(client kafkajs, round-robin, library-only\)/);
});

test('toLoseNoAcknowledgedMessages names lostAcked of the acknowledged and the seqs', () => {
  expect(() => expect(lossy).toLoseNoAcknowledgedMessages()).toThrow(/lostAcked 2 of 100 acknowledged messages[\s\S]*first seqs: 7, 11\n/);
});

test('toHaveNoDuplicates and toKeepOrder name their counts and seqs', () => {
  expect(() => expect(lossy).toHaveNoDuplicates()).toThrow(/duplicates 3: extra copies read back[\s\S]*first seqs: 20, 21\n/);
  expect(() => expect(lossy).toKeepOrder()).toThrow(/reordered 4 records[\s\S]*first seqs: 40, 41, 42, 43\n/);
});

test('a failure points at the evidence: absolute paths when the result carries its run folder', () => {
  expect(() => expect({ ...lossy, runDir: '/tmp/run-1' }).toDeliverEverything()).toThrow(/history: \/tmp\/run-1\/scenarios\/s\/history\.jsonl/);
  expect(() => expect(lossy).toDeliverEverything()).toThrow(/history: scenarios\/s\/history\.jsonl \(in the run folder\)/);
});

test('.not works, and says what held', () => {
  expect(lossy).not.toDeliverEverything();
  expect(() => expect(clean).not.toDeliverEverything()).toThrow(/expected undelivered > 0, but all 100 attempted messages were read back/);
});

test('a scenario that did not run to the end fails every matcher, with or without .not', () => {
  const broken = scenarioResult({ verdict: 'unknown', error: 'cannot reach the Toxiproxy API', counts: counts({ attempted: 0, acked: 0, observed: 0 }) });
  expect(() => expect(broken).toDeliverEverything()).toThrow(/did not run to the end, so its counts prove nothing: cannot reach the Toxiproxy API/);
  expect(() => expect(broken).not.toDeliverEverything()).toThrow(/did not run to the end/);
  const empty = scenarioResult({ counts: counts({ attempted: 0, acked: 0, observed: 0 }) });
  expect(() => expect(empty).toLoseNoAcknowledgedMessages()).toThrow(/no message was attempted/);
});

test('something that is not a ScenarioResult is an error, not a pass', () => {
  expect(() => expect({ verdict: 'pass' }).toDeliverEverything()).toThrow(/expected a ScenarioResult/);
  expect(() => expect(undefined).toKeepOrder()).toThrow(/received undefined/);
});

test('firstSeqs lists at most ten and says how many there are', () => {
  expect(firstSeqs([], 0)).toBe('(none recorded)');
  expect(firstSeqs([1, 2], 2)).toBe('1, 2');
  expect(firstSeqs([1, 2, 3], 60, 2)).toBe('1, 2, … (first 2 of 60)');
  expect(firstSeqs([1, 2, 3], undefined, 2)).toBe('1, 2, …'); // duplicates / reordered: copies, not seqs, are counted
  expect(firstSeqs([1, 2], undefined, 2)).toBe('1, 2');
});
