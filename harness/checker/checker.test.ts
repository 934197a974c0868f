import fc from 'fast-check';
import type { HistoryOp, ObservedRecord } from '../history/history-types';
import { COUNT_NAMES, type Counts } from './check-types';
import { check, HistoryChecker, MAX_ANOMALIES_PER_KIND } from './checker';

// --- tiny history builder: explicit times so latency assertions are exact ---------------------

class History {
  readonly ops: HistoryOp[] = [];
  private push(timeMs: number, process: string, type: HistoryOp['type'], f: HistoryOp['f'], value: HistoryOp['value']): this {
    this.ops.push({ index: this.ops.length, timeMs, process, type, f, value });
    return this;
  }
  invoke(seq: number, timeMs = this.ops.length): this {
    return this.push(timeMs, 'p1', 'invoke', 'send', { seq, key: null, partition: null });
  }
  ok(seq: number, partition: number, offset: number, timeMs = this.ops.length): this {
    return this.push(timeMs, 'p1', 'ok', 'send', { seq, partition, offset });
  }
  fail(seq: number, timeMs = this.ops.length): this {
    return this.push(timeMs, 'p1', 'fail', 'send', { seq, error: 'NOT_LEADER' });
  }
  info(seq: number, timeMs = this.ops.length): this {
    return this.push(timeMs, 'p1', 'info', 'send', { seq, error: 'timeout' });
  }
  inject(timeMs = this.ops.length): this {
    return this.push(timeMs, 'nemesis', 'info', 'inject', { fault: 'blackhole', target: 'k1' });
  }
  heal(timeMs = this.ops.length): this {
    return this.push(timeMs, 'nemesis', 'info', 'heal', { fault: 'blackhole', target: 'k1' });
  }
  /** invoke + ok at (partition, offset). */
  sent(seq: number, partition: number, offset: number): this {
    return this.invoke(seq).ok(seq, partition, offset);
  }
}

const rec = (partition: number, offset: number, seq: number | null): ObservedRecord => ({
  partition, offset, seq, key: seq === null ? null : `k-${seq}`,
});

/** Only the counts a test names may be non-zero. */
function expectCounts(counts: Counts, expected: Partial<Counts>): void {
  const full = Object.fromEntries(COUNT_NAMES.map((n) => [n, expected[n] ?? 0]));
  expect(counts).toEqual(full);
}

/** Three seqs acked at offsets 0..2 of partition 0. */
function threeSent(): History {
  return new History().sent(0, 0, 0).sent(1, 0, 1).sent(2, 0, 2);
}

describe('check: each count planted by hand', () => {
  test('a clean history has no anomalies and passes', () => {
    const r = check(threeSent().ops, [rec(0, 0, 0), rec(0, 1, 1), rec(0, 2, 2)], { lostAcked: 0 });
    expectCounts(r.counts, { attempted: 3, acked: 3, observed: 3 });
    expect(r.verdict).toBe('pass');
    expect(r.error).toBeUndefined();
    expect(Object.values(r.anomalies).every((list) => list.length === 0)).toBe(true);
  });

  test('planted loss of an acked seq: lostAcked, undelivered and offsetMismatch', () => {
    const r = check(threeSent().ops, [rec(0, 0, 0), rec(0, 2, 2)]);
    expectCounts(r.counts, { attempted: 3, acked: 3, observed: 2, lostAcked: 1, undelivered: 1, offsetMismatch: 1 });
    expect(r.anomalies.lostAcked).toEqual([1]);
    expect(r.anomalies.undelivered).toEqual([1]);
    expect(r.anomalies.offsetMismatch).toEqual([{ seq: 1, partition: 0, offset: 1 }]);
  });

  test('a failed seq never read back is undelivered but not lostAcked', () => {
    const h = new History().sent(0, 0, 0).invoke(1).fail(1);
    const r = check(h.ops, [rec(0, 0, 0)]);
    expectCounts(r.counts, { attempted: 2, acked: 1, failed: 1, observed: 1, undelivered: 1 });
    expect(r.anomalies.undelivered).toEqual([1]);
  });

  test('duplicates are extra copies: three copies count 2', () => {
    const h = new History().sent(0, 0, 0).sent(1, 0, 1);
    const r = check(h.ops, [rec(0, 0, 0), rec(0, 1, 1), rec(0, 2, 1), rec(0, 3, 1)]);
    expectCounts(r.counts, { attempted: 2, acked: 2, observed: 2, duplicates: 2 });
    expect(r.anomalies.duplicates).toEqual([1]);
  });

  test('reordered: a swapped pair counts 1 (records − longest non-decreasing subsequence)', () => {
    const h = new History().sent(0, 0, 0).sent(1, 0, 2).sent(2, 0, 1).sent(3, 0, 3);
    // Acks say seq 1 at offset 2 and seq 2 at offset 1, and that is what is read: no mismatch.
    const r = check(h.ops, [rec(0, 0, 0), rec(0, 1, 2), rec(0, 2, 1), rec(0, 3, 3)]);
    expectCounts(r.counts, { attempted: 4, acked: 4, observed: 4, reordered: 1 });
    expect(r.anomalies.reordered).toHaveLength(1);
    expect([1, 2]).toContain(r.anomalies.reordered[0]);
  });

  test('reordered: the bare pair [1, 0] counts 1, a full reversal of 4 counts 3', () => {
    const pair = new History().sent(1, 0, 0).sent(0, 0, 1);
    expect(check(pair.ops, [rec(0, 0, 1), rec(0, 1, 0)]).counts.reordered).toBe(1);
    const rev = new History().sent(3, 0, 0).sent(2, 0, 1).sent(1, 0, 2).sent(0, 0, 3);
    expect(check(rev.ops, [rec(0, 0, 3), rec(0, 1, 2), rec(0, 2, 1), rec(0, 3, 0)]).counts.reordered).toBe(3);
  });

  test('reordered: an adjacent duplicate counts 0 (but is a duplicate)', () => {
    const h = new History().sent(0, 0, 0).sent(1, 0, 1).sent(2, 0, 3);
    const r = check(h.ops, [rec(0, 0, 0), rec(0, 1, 1), rec(0, 2, 1), rec(0, 3, 2)]);
    expectCounts(r.counts, { attempted: 3, acked: 3, observed: 3, duplicates: 1 });
  });

  test('reordered is per partition, in offset order, whatever order observed arrives in', () => {
    const h = new History().sent(0, 0, 0).sent(1, 1, 0).sent(2, 0, 1).sent(3, 1, 1);
    // Across partitions seqs interleave (0, 2 | 1, 3): no reorder. Arrival order is scrambled.
    const r = check(h.ops, [rec(1, 1, 3), rec(0, 1, 2), rec(1, 0, 1), rec(0, 0, 0)]);
    expectCounts(r.counts, { attempted: 4, acked: 4, observed: 4 });
  });

  test('offsetMismatch: another record sits at the acked offset, or none does', () => {
    const h = new History().sent(0, 0, 0).sent(1, 0, 1).sent(2, 1, 0);
    // seq 1: acked at 0/1 where a null-seq record sits (read at 0/2); seq 2: acked at 1/0, read at 1/4.
    const r = check(h.ops, [rec(0, 0, 0), rec(0, 1, null), rec(0, 2, 1), rec(1, 4, 2)]);
    expectCounts(r.counts, { attempted: 3, acked: 3, observed: 3, offsetMismatch: 2, unexpected: 1 });
    expect(r.anomalies.offsetMismatch).toEqual([
      { seq: 1, partition: 0, offset: 1 },
      { seq: 2, partition: 1, offset: 0 },
    ]);
  });

  test('unexpected counts records whose seq was never attempted, and null seqs', () => {
    const h = new History().sent(0, 0, 0);
    const r = check(h.ops, [rec(0, 0, 0), rec(0, 1, 99), rec(0, 2, 99), rec(0, 3, null)]);
    // Two copies of never-attempted seq 99 are unexpected, not a duplicate as well.
    expectCounts(r.counts, { attempted: 1, acked: 1, observed: 2, unexpected: 3 });
    expect(r.anomalies.unexpected).toEqual([99]);
    expect(r.anomalies.duplicates).toEqual([]);
  });

  test('indeterminate: an attempt that ended info, or never ended', () => {
    const h = new History().invoke(0).info(0).invoke(1).invoke(2).fail(2).invoke(2).info(2);
    const r = check(h.ops, []);
    expectCounts(r.counts, { attempted: 3, indeterminate: 3, undelivered: 3, resends: 1 });
  });

  test('failed, resent with the same seq, then acked: acked, not failed; latency of the last attempt', () => {
    const h = new History().invoke(7, 0).fail(7, 30).invoke(7, 100).ok(7, 2, 0, 104);
    const r = check(h.ops, [rec(2, 0, 7)]);
    expectCounts(r.counts, { attempted: 1, acked: 1, observed: 1, resends: 1 });
    expect(r.latencyMs).toEqual({ p50: 4, p95: 4, p99: 4, max: 4 });
  });

  test('an ack is not undone: ok then a later fail or info counts acked only (not failed, not deliveredDespiteError)', () => {
    const h = new History().invoke(0).ok(0, 0, 0).invoke(0).fail(0).invoke(1).ok(1, 0, 1).invoke(1).info(1);
    const r = check(h.ops, [rec(0, 0, 0), rec(0, 1, 1)]);
    expectCounts(r.counts, { attempted: 2, acked: 2, observed: 2, resends: 2 });
  });

  test('invoke → fail → invoke with no completion is indeterminate: the open attempt may land', () => {
    const h = new History().invoke(0).fail(0).invoke(0);
    expectCounts(check(h.ops, []).counts, { attempted: 1, indeterminate: 1, undelivered: 1, resends: 1 });
  });

  test('invoke → info → invoke → fail is indeterminate: a definite last attempt does not undo an unknown first', () => {
    const h = new History().invoke(0).info(0).invoke(0).fail(0);
    const r = check(h.ops, [rec(0, 0, 0)]);
    expectCounts(r.counts, { attempted: 1, indeterminate: 1, observed: 1, deliveredDespiteError: 1, resends: 1 });
  });

  test('failed only when every attempt ended fail', () => {
    const h = new History().invoke(0).fail(0).invoke(0).fail(0);
    expectCounts(check(h.ops, []).counts, { attempted: 1, failed: 1, undelivered: 1, resends: 1 });
  });

  test('deliveredDespiteError: a failed and an indeterminate seq that were written anyway', () => {
    const h = new History().invoke(0).fail(0).invoke(1).info(1).invoke(2);
    const r = check(h.ops, [rec(0, 0, 0), rec(0, 1, 1), rec(0, 2, 2)]);
    expectCounts(r.counts, { attempted: 3, failed: 1, indeterminate: 2, observed: 3, deliveredDespiteError: 3 });
    expect(r.anomalies.deliveredDespiteError).toEqual([0, 1, 2]);
  });

  test('the workaround: fail, resend acked, the first copy also landed → duplicate + deliveredDespiteError 0', () => {
    const h = new History().invoke(0).fail(0).invoke(0).ok(0, 0, 1);
    const r = check(h.ops, [rec(0, 0, 0), rec(0, 1, 0)]);
    expectCounts(r.counts, { attempted: 1, acked: 1, observed: 1, duplicates: 1, resends: 1 });
  });

  test('send ops from the nemesis process are not sends', () => {
    const ops: HistoryOp[] = [
      { index: 0, timeMs: 0, process: 'nemesis', type: 'invoke', f: 'send', value: { seq: 5, key: null, partition: null } },
    ];
    expectCounts(check(ops, []).counts, {});
  });
});

describe('check: late completions, unknown positions, fault exposure', () => {
  const late = (op: HistoryOp): HistoryOp => ({ ...op, late: true });
  const pushOp = (h: History, type: HistoryOp['type'], value: HistoryOp['value'], extra: Partial<HistoryOp> = {}): History => {
    h.ops.push({ index: h.ops.length, timeMs: h.ops.length, process: 'p1', type, f: 'send', value, ...extra });
    return h;
  };

  test('a late ack after the deadline info counts as an ack: missing, it is lostAcked (not merely undelivered)', () => {
    const h = new History().invoke(0).info(0);
    h.ops.push(late({ index: 2, timeMs: 9000, process: 'p1', type: 'ok', f: 'send', value: { seq: 0, partition: 0, offset: 4 } }));
    const r = check(h.ops, []);
    expectCounts(r.counts, { attempted: 1, acked: 1, lostAcked: 1, undelivered: 1, offsetMismatch: 1 });
  });

  test('a late definite fail replaces the deadline info: failed, not indeterminate', () => {
    const h = pushOp(new History().invoke(0).info(0), 'fail', { seq: 0, error: 'refused' }, { late: true });
    expectCounts(check(h.ops, []).counts, { attempted: 1, failed: 1, undelivered: 1 });
  });

  test('a late fail replaces only its own attempt: another attempt still info stays indeterminate', () => {
    const h = pushOp(new History().invoke(0).info(0).invoke(0).info(0), 'fail', { seq: 0, error: 'refused' }, { late: true });
    expectCounts(check(h.ops, []).counts, { attempted: 1, indeterminate: 1, undelivered: 1, resends: 1 });
  });

  test('an ok with a null offset or partition is acked with no position to compare; archived -1 reads the same', () => {
    const h = pushOp(pushOp(new History().invoke(0), 'ok', { seq: 0, partition: 1, offset: null }).invoke(1), 'ok', { seq: 1, partition: -1, offset: -1 });
    const r = check(h.ops, [rec(1, 0, 0)]);
    expectCounts(r.counts, { attempted: 2, acked: 2, observed: 1, lostAcked: 1, undelivered: 1 });
  });

  test('an ok with a string offset is an error naming the field, not a silent skip', () => {
    const h = pushOp(new History().invoke(0), 'ok', { seq: 0, partition: 0, offset: '3' });
    const r = check(h.ops, []);
    expect(r.verdict).toBe('unknown');
    expect(r.error).toMatch(/value\.offset "3"/);
  });

  test('exposedSends: attempts placed on the faulted broker\'s partitions while the fault is on, asked or reported', () => {
    const h = new History();
    h.ops.push({ index: 0, timeMs: 0, process: 'nemesis', type: 'info', f: 'inject', value: { fault: 'blackhole', target: 'k1', partitions: [0] } });
    pushOp(h, 'invoke', { seq: 0, key: null, partition: 0 }); // asked for p0: exposed
    pushOp(h, 'invoke', { seq: 1, key: null, partition: 1 }); // p1: not exposed
    pushOp(h, 'invoke', { seq: 2, key: null, partition: null }); // the partitioner chose p0: exposed
    pushOp(h, 'info', { seq: 2, partition: 0, error: 'timeout' });
    pushOp(h, 'invoke', { seq: 3, key: null, partition: null }); // chose p2: not exposed
    pushOp(h, 'ok', { seq: 3, partition: 2, offset: 0 });
    pushOp(h, 'invoke', { seq: 5, key: null, partition: null }); // tried p0, then p1 on retry: exposed
    pushOp(h, 'info', { seq: 5, partition: 1, tried: [0, 1], error: 'timeout' });
    pushOp(h, 'invoke', { seq: 6, key: null, partition: null }); // the deadline's info names no partition; the late outcome does
    pushOp(h, 'info', { seq: 6, partition: null, error: 'no outcome before the drain deadline' });
    pushOp(h, 'info', { seq: 6, partition: 0, error: 'Closed connection' }, { late: true });
    h.heal();
    pushOp(h, 'invoke', { seq: 4, key: null, partition: 0 }); // after the heal: not exposed
    const r = check(h.ops, [rec(2, 0, 3)]);
    expect(r.counts.exposedSends).toBe(4);
  });

  test('undeliveredDespiteHealthyTry: an undelivered seq counts when an attempt made under a fault failed outside the fault\'s partitions', () => {
    const h = new History();
    pushOp(h, 'invoke', { seq: 9, key: null, partition: 1 }); // before any fault: never judged
    pushOp(h, 'fail', { seq: 9, partition: 1, error: 'x' });
    h.ops.push({ index: h.ops.length, timeMs: h.ops.length, process: 'nemesis', type: 'info', f: 'inject', value: { fault: 'blackhole', target: 'k1', partitions: [0] } });
    for (let attempt = 0; attempt < 3; attempt++) { // every attempt back on the cut leader's p0: not counted
      pushOp(h, 'invoke', { seq: 0, key: null, partition: null });
      pushOp(h, 'fail', { seq: 0, partition: 0, error: 'Expiring 1 record(s)' });
    }
    pushOp(h, 'invoke', { seq: 1, key: null, partition: null }); // the partitioner chose p1, which failed: counted
    pushOp(h, 'fail', { seq: 1, partition: 1, error: 'x' });
    pushOp(h, 'invoke', { seq: 2, key: null, partition: 2 }); // asked for p2; the deadline's info names none, the late one does
    pushOp(h, 'info', { seq: 2, partition: null, error: 'no outcome before the drain deadline' });
    pushOp(h, 'invoke', { seq: 3, key: null, partition: null }); // tried p0 then p2: counted
    pushOp(h, 'info', { seq: 3, partition: 2, tried: [0, 2], error: 'timeout' });
    pushOp(h, 'invoke', { seq: 4, key: null, partition: null }); // p0 expires after the heal: judged by the fault at its invoke
    pushOp(h, 'invoke', { seq: 5, key: null, partition: null }); // failed on p1, then delivered by a resend: not undelivered
    pushOp(h, 'fail', { seq: 5, partition: 1, error: 'x' });
    h.heal();
    pushOp(h, 'fail', { seq: 4, partition: 0, error: 'Expiring 1 record(s)' });
    pushOp(h, 'info', { seq: 2, partition: 2, error: 'timeout' }, { late: true });
    const r = check(h.ops, [rec(1, 0, 5)]);
    expect(r.counts.undelivered).toBe(6); // 9, 0, 1, 2, 3, 4
    expect(r.counts.undeliveredDespiteHealthyTry).toBe(3); // 1, 2, 3
  });

  test('a history without partitions on its inject (archived) exposes nothing', () => {
    const h = new History().inject().invoke(0);
    expect(check(h.ops, []).counts.exposedSends).toBe(0);
  });
});

describe('check: properties over random histories', () => {
  // Random histories of a few seqs: each attempt ends ok / fail / info / late outcome / nothing.
  const attemptArb = fc.record({
    seq: fc.integer({ min: 0, max: 5 }),
    end: fc.constantFrom('ok', 'fail', 'info', 'none', 'info-then-late-ok', 'info-then-late-fail'),
  });
  const build = (attempts: Array<{ seq: number; end: string }>): HistoryOp[] => {
    const ops: HistoryOp[] = [];
    const push = (type: HistoryOp['type'], value: HistoryOp['value'], late?: true) =>
      ops.push({ index: ops.length, timeMs: ops.length, process: 'p1', type, f: 'send', value, ...(late ? { late } : {}) });
    attempts.forEach(({ seq, end }, i) => {
      push('invoke', { seq, key: null, partition: 0 });
      if (end === 'ok') push('ok', { seq, partition: 0, offset: i });
      if (end === 'fail') push('fail', { seq, error: 'refused' });
      if (end.startsWith('info')) push('info', { seq, error: 'timeout' });
      if (end === 'info-then-late-ok') push('ok', { seq, partition: 0, offset: i }, true);
      if (end === 'info-then-late-fail') push('fail', { seq, error: 'refused' }, true);
    });
    return ops;
  };

  test('every attempted seq is exactly one of acked, failed, indeterminate', () => {
    fc.assert(fc.property(fc.array(attemptArb, { maxLength: 30 }), (attempts) => {
      const { counts } = check(build(attempts), []);
      expect(counts.acked + counts.failed + counts.indeterminate).toBe(counts.attempted);
      expect(counts.resends).toBe(attempts.length - counts.attempted);
    }));
  });

  test('acked iff some attempt (late included) ended ok; failed iff every attempt ended fail', () => {
    fc.assert(fc.property(fc.array(attemptArb, { maxLength: 30 }), (attempts) => {
      const { counts } = check(build(attempts), []);
      const bySeq = new Map<number, string[]>();
      attempts.forEach(({ seq, end }) => bySeq.set(seq, [...(bySeq.get(seq) ?? []), end]));
      const ends = [...bySeq.values()];
      expect(counts.acked).toBe(ends.filter((e) => e.some((x) => x.endsWith('ok'))).length);
      expect(counts.failed).toBe(ends.filter((e) => e.every((x) => x.endsWith('fail'))).length);
    }));
  });

  test('observed copies of attempted seqs count as duplicates, of never-attempted seqs as unexpected, never both', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 40 }), fc.integer({ min: 0, max: 9 }), (reads, attemptedBelow) => {
      const ops = build(Array.from({ length: attemptedBelow }, (_, seq) => ({ seq, end: 'ok' })));
      const observed = reads.map((seq, offset) => rec(1, offset, seq));
      const { counts } = check(ops, observed);
      const copies = (seq: number) => reads.filter((s) => s === seq).length;
      const seqs = [...new Set(reads)];
      expect(counts.unexpected).toBe(reads.filter((s) => s >= attemptedBelow).length);
      expect(counts.duplicates).toBe(seqs.filter((s) => s < attemptedBelow).reduce((n, s) => n + copies(s) - 1, 0));
    }));
  });
});

describe('check: latency and heals', () => {
  test('nearest-rank percentiles over 100 acks of latency 1..100 ms', () => {
    const h = new History();
    for (let s = 0; s < 100; s++) h.invoke(s, 1000 * s).ok(s, 0, s, 1000 * s + (s + 1));
    const obs = Array.from({ length: 100 }, (_, s) => rec(0, s, s));
    expect(check(h.ops, obs).latencyMs).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
  });

  test('interleaved sends pair each completion with its own seq', () => {
    const h = new History().invoke(0, 0).invoke(1, 5).ok(1, 0, 0, 6).ok(0, 0, 1, 40);
    expect(check(h.ops, []).latencyMs).toEqual({ p50: 1, p95: 40, p99: 40, max: 40 });
  });

  test('no ack → latency all zeros', () => {
    expect(check(new History().invoke(0).fail(0).ops, []).latencyMs).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });

  test('time to first ack after each heal; null when none follows', () => {
    const h = new History().inject(0).invoke(0, 10).heal(100).invoke(1, 120).ok(1, 0, 0, 150).ok(0, 0, 1, 160)
      .heal(200).invoke(2, 210).info(2, 300);
    expect(check(h.ops, []).timeToFirstAckAfterHealMs).toEqual([50, null]);
  });
});

describe('check: anomalies, expectations, verdict, robustness', () => {
  test('anomaly lists hold the first 50 seqs, sorted, whatever the input order', () => {
    const h = new History();
    for (let s = 199; s >= 0; s--) h.sent(s, 0, s);
    const r = check(h.ops, []);
    expect(r.counts.lostAcked).toBe(200);
    expect(r.anomalies.lostAcked).toEqual(Array.from({ length: MAX_ANOMALIES_PER_KIND }, (_, i) => i));
  });

  test('expectations: each clause evaluated, verdict fail when one fails', () => {
    const r = check(threeSent().ops, [rec(0, 0, 0), rec(0, 2, 2)], { lostAcked: 0, undelivered: { gt: 0, lte: 1 } });
    expect(r.expectations).toEqual([
      { count: 'lostAcked', op: 'eq', value: 0, actual: 1, pass: false },
      { count: 'undelivered', op: 'gt', value: 0, actual: 1, pass: true },
      { count: 'undelivered', op: 'lte', value: 1, actual: 1, pass: true },
    ]);
    expect(r.verdict).toBe('fail');
  });

  test('a history without sends cannot pass, even with no expectations', () => {
    const r = check(new History().inject().heal().ops, []);
    expect(r.verdict).toBe('fail');
    expect(r.expectations).toEqual([]);
  });

  test('invalid expectations give verdict unknown with the field named, not a throw', () => {
    const r = check(threeSent().ops, [], { undeliverd: 0 } as never);
    expect(r.verdict).toBe('unknown');
    expect(r.error).toMatch(/^expectations\.undeliverd: unknown count; known: attempted, acked/);
  });

  test('garbage input never throws: verdict unknown with error', () => {
    const bad = [{ index: 0, timeMs: 0, process: 'p1', type: 'ok', f: 'send', value: { seq: 'x' } }] as HistoryOp[];
    const r = check(bad, []);
    expect(r.verdict).toBe('unknown');
    expect(r.error).toMatch(/value\.seq/);
    const throwing: Iterable<HistoryOp> = { [Symbol.iterator]: () => { throw new Error('disk gone'); } };
    expect(check(throwing, []).error).toBe('disk gone');
    expect(check(threeSent().ops, [null as unknown as ObservedRecord]).verdict).toBe('unknown');
  });

  test('seqs outside the flat-array fast path (negative, huge) behave the same', () => {
    const big = 2 ** 40;
    const h = new History().sent(-3, 0, 0).sent(big, 0, 1).sent(1.5, 0, 2);
    const r = check(h.ops, [rec(0, 0, -3), rec(0, 1, big), rec(0, 3, big)]);
    expectCounts(r.counts, { attempted: 3, acked: 3, observed: 2, lostAcked: 1, undelivered: 1, offsetMismatch: 1, duplicates: 1 });
    expect(r.anomalies.lostAcked).toEqual([1.5]);
  });

  test('HistoryChecker: observed may arrive before the history, finish() may be called twice', () => {
    const c = new HistoryChecker();
    [rec(0, 1, 1), rec(0, 0, 0)].forEach((r) => c.addObserved(r));
    threeSent().ops.forEach((op) => c.addOp(op));
    const first = c.finish({ lostAcked: 1 });
    expectCounts(first.counts, { attempted: 3, acked: 3, observed: 2, lostAcked: 1, undelivered: 1, offsetMismatch: 1 });
    expect(first.verdict).toBe('pass');
    expect(c.finish({ lostAcked: 1 })).toEqual(first);
  });
});

// --- property tests -----------------------------------------------------------------------------

/** O(n²) oracle for reordered, independent of the patience implementation. */
function naiveReordered(observed: ObservedRecord[]): number {
  const byPartition = new Map<number, ObservedRecord[]>();
  for (const r of observed) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  let total = 0;
  for (const records of byPartition.values()) {
    const seqs = records.sort((a, b) => a.offset - b.offset).map((r) => r.seq as number);
    const best = seqs.map(() => 1);
    for (let i = 0; i < seqs.length; i++) {
      for (let j = 0; j < i; j++) if (seqs[j] <= seqs[i]) best[i] = Math.max(best[i], best[j] + 1);
    }
    total += seqs.length - Math.max(0, ...best);
  }
  return total;
}

interface Planted { partition: number; lose: boolean; extraCopies: number; swapWithNext: boolean }

const plantedArb = fc.array(
  fc.record({
    partition: fc.integer({ min: 0, max: 2 }),
    lose: fc.boolean(),
    extraCopies: fc.integer({ min: 0, max: 2 }),
    swapWithNext: fc.boolean(),
  }),
  { minLength: 1, maxLength: 120 },
);

/** A clean run: seq s invoked once, acked at the next offset of its partition. */
function cleanRun(messages: Planted[]): { ops: HistoryOp[]; observed: ObservedRecord[] } {
  const h = new History();
  const nextOffset = new Map<number, number>();
  const observed: ObservedRecord[] = [];
  messages.forEach(({ partition }, seq) => {
    const offset = nextOffset.get(partition) ?? 0;
    nextOffset.set(partition, offset + 1);
    h.invoke(seq).ok(seq, partition, offset);
    observed.push(rec(partition, offset, seq));
  });
  return { ops: h.ops, observed };
}

/** Deterministic shuffle: the checker must not depend on the order observed records arrive in. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('check: properties', () => {
  test('a clean history has every anomaly count 0', () => {
    fc.assert(
      fc.property(plantedArb, fc.integer(), (messages, seed) => {
        const { ops, observed } = cleanRun(messages);
        const r = check(ops, shuffled(observed, seed), { lostAcked: 0, duplicates: 0, reordered: 0 });
        const n = messages.length;
        expectCounts(r.counts, { attempted: n, acked: n, observed: n });
        expect(r.verdict).toBe('pass');
      }),
    );
  });

  test('k planted losses and d planted copies are counted exactly; reordered matches the oracle', () => {
    fc.assert(
      fc.property(plantedArb, fc.integer(), (messages, seed) => {
        const { ops, observed } = cleanRun(messages);
        const endOffset = new Map<number, number>();
        for (const r of observed) endOffset.set(r.partition, Math.max(endOffset.get(r.partition) ?? 0, r.offset + 1));
        const kept: ObservedRecord[] = [];
        let k = 0;
        let d = 0;
        observed.forEach((r, seq) => {
          const m = messages[seq];
          if (m.lose) {
            k++;
            return;
          }
          kept.push(r);
          for (let c = 0; c < m.extraCopies; c++) {
            // A copy lands after everything acked in its partition, as a resend would.
            const offset = endOffset.get(r.partition) as number;
            endOffset.set(r.partition, offset + 1);
            kept.push(rec(r.partition, offset, seq));
            d++;
          }
        });
        const r = check(ops, shuffled(kept, seed));
        const n = messages.length;
        expectCounts(r.counts, {
          attempted: n, acked: n, observed: n - k,
          lostAcked: k, undelivered: k, offsetMismatch: k, duplicates: d,
          reordered: naiveReordered(kept),
        });
      }),
    );
  });

  test('p disjoint adjacent swaps within a partition: reordered p, offsetMismatch 2p', () => {
    fc.assert(
      fc.property(plantedArb, (messages) => {
        const { ops, observed } = cleanRun(messages);
        const byPartition = new Map<number, ObservedRecord[]>();
        for (const r of observed) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
        let pairs = 0;
        for (const records of byPartition.values()) {
          for (let i = 0; i + 1 < records.length; i++) {
            if (!messages[records[i].seq as number].swapWithNext) continue;
            [records[i].seq, records[i + 1].seq] = [records[i + 1].seq, records[i].seq];
            pairs++;
            i++; // disjoint pairs
          }
        }
        const r = check(ops, observed);
        expect(r.counts.reordered).toBe(pairs);
        expect(r.counts.reordered).toBe(naiveReordered(observed));
        expect(r.counts.offsetMismatch).toBe(2 * pairs);
        expect(r.counts.lostAcked + r.counts.duplicates + r.counts.unexpected).toBe(0);
      }),
    );
  });
});
