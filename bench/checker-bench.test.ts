import { check } from '../harness/checker/checker';
import { COUNT_NAMES, Counts } from '../harness/checker/check-types';
import { nearestRank } from '../harness/checker/percentiles';
import { benchChecker, benchHistory, benchObserved, FAIL_EVERY } from './checker-bench';

// The bench times check() on a generated history; a time means something only if the checker
// reads that history right. What the generator plants: every seq sent and acked once, every
// FAIL_EVERY-th seq failing first and resent (same seq), one fault injected and healed mid-run,
// and every record read back once, in offset order. Ack latency is 1 + seq % 7 ms.
const MESSAGES = 30_000;

test('the generated history, checked, gives exactly what the generator planted', () => {
  const resent = Math.ceil(MESSAGES / FAIL_EVERY);
  const planted: Partial<Counts> = { attempted: MESSAGES, acked: MESSAGES, observed: MESSAGES, resends: resent };
  const result = check(benchHistory(MESSAGES), benchObserved(MESSAGES), { lostAcked: 0, undelivered: 0 });

  expect(result.error).toBeUndefined();
  // Counts the generator does not plant must be 0: a fail followed by an ok of the same seq is an ack, not a failure.
  expect(result.counts).toEqual(Object.fromEntries(COUNT_NAMES.map((name) => [name, planted[name] ?? 0])));
  expect(result.verdict).toBe('pass');
  expect(result.timeToFirstAckAfterHealMs).toHaveLength(1);
  expect(result.timeToFirstAckAfterHealMs[0]).toEqual(expect.any(Number));

  const latencies = Array.from({ length: MESSAGES }, (_, seq) => 1 + (seq % 7)).sort((a, b) => a - b);
  expect(result.latencyMs).toEqual({ p50: nearestRank(latencies, 50), p95: nearestRank(latencies, 95), p99: nearestRank(latencies, 99), max: 7 });
});

test('benchChecker accepts the checker on its own history (it throws when the counts are off)', async () => {
  await expect(benchChecker({ messages: 3_000 })).resolves.toEqual({ checker1MMs: expect.any(Number), checker1MRssMb: expect.any(Number) });
});
