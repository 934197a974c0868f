import { DEFAULT_WORKAROUND, TopicView } from './partition-strategy';
import { createStrategy } from './strategies';

const topic: TopicView = { partitions: 3, leaderOf: (p) => p + 1 };
const timeout = { ok: false as const, definite: false, error: 'timed out', partition: 0 };

describe('round-robin', () => {
  test('leaves the partition to the client and sends no key', () => {
    const s = createStrategy('round-robin', 'library-only', topic, DEFAULT_WORKAROUND, () => 0);
    expect(s.first(7)).toEqual({ key: null, partition: null });
  });
  test('library-only gives up after the first failure; the workaround sends again as is', () => {
    const lib = createStrategy('round-robin', 'library-only', topic, DEFAULT_WORKAROUND, () => 0);
    const fix = createStrategy('round-robin', 'workaround', topic, DEFAULT_WORKAROUND, () => 0);
    expect(lib.retry(1, 2, lib.first(1), timeout)).toBeUndefined();
    expect(fix.retry(1, 2, fix.first(1), timeout)).toEqual({ key: null, partition: null });
  });
});

describe('hashing', () => {
  test('keys every message by its seq; the workaround changes the key on each resend', () => {
    const s = createStrategy('hashing', 'workaround', topic, DEFAULT_WORKAROUND, () => 0);
    expect(s.first(5)).toEqual({ key: 'k-5', partition: null });
    const second = s.retry(5, 2, s.first(5), timeout);
    const third = s.retry(5, 3, second!, timeout);
    expect(second?.key).not.toBe('k-5');
    expect(third?.key).not.toBe(second?.key);
  });
  test('library-only never resends', () => {
    const s = createStrategy('hashing', 'library-only', topic, DEFAULT_WORKAROUND, () => 0);
    expect(s.retry(5, 2, s.first(5), timeout)).toBeUndefined();
  });
});

describe('manual', () => {
  test('library-only rotates over the partitions and never avoids one', () => {
    const s = createStrategy('manual', 'library-only', topic, DEFAULT_WORKAROUND, () => 0);
    expect([0, 1, 2, 3, 4].map((seq) => s.first(seq).partition)).toEqual([0, 1, 2, 0, 1]);
    expect(s.retry(0, 2, s.first(0), timeout)).toBeUndefined();
  });

  test('the workaround avoids the failing leader for avoidLeaderMs, then uses it again', () => {
    let now = 0;
    const s = createStrategy('manual', 'workaround', topic, { ...DEFAULT_WORKAROUND, avoidLeaderMs: 1000 }, () => now);
    const retried = s.retry(0, 2, { key: 'k-0', partition: 0 }, timeout);
    expect(retried?.partition).not.toBe(0);
    // while k1 (leader of partition 0) is avoided, nothing new goes to partition 0
    expect([0, 3, 6, 9].map((seq) => s.first(seq).partition)).not.toContain(0);
    now = 1001;
    expect(s.first(3).partition).toBe(0);
  });

  test('when every leader is avoided it falls back to the plain rotation', () => {
    const s = createStrategy('manual', 'workaround', topic, DEFAULT_WORKAROUND, () => 0);
    for (const p of [0, 1, 2]) s.retry(p, 2, { key: null, partition: p }, timeout);
    expect(s.first(4).partition).toBe(1);
  });
});

test('an unknown strategy is one clear error', () => {
  expect(() => createStrategy('random' as never, 'library-only', topic, DEFAULT_WORKAROUND, () => 0)).toThrow(/unknown strategy "random"[\s\S]*round-robin, hashing or manual/);
});
