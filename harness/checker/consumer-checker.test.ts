import fc from 'fast-check';
import type { HistoryOp, ObservedRecord, OpType } from '../history/history-types';
import { checkConsumers, evaluateConsumerExpectations, hasConsumerOps } from './consumer-checker';

/** A tiny history builder: ops get increasing indexes; times are given. */
function history() {
  const ops: HistoryOp[] = [];
  const add = (timeMs: number, process: string, type: OpType, f: HistoryOp['f'], value: Record<string, unknown>) => {
    ops.push({ index: ops.length, timeMs, process, type, f, value });
  };
  const api = {
    ops,
    start: (t: number, c = 'c1') => (add(t, c, 'info', 'start', { consumer: c, assignment: 0 }), api),
    assign: (t: number, partitions: number[], assignment = 1, c = 'c1') => (add(t, c, 'info', 'assign', { consumer: c, assignment, partitions, generation: null }), api),
    poll: (t: number, records: Array<[number, number]>, assignment = 1, c = 'c1') => {
      add(t, c, 'invoke', 'poll', { consumer: c, assignment });
      add(t, c, 'ok', 'poll', { consumer: c, assignment, records: records.map(([partition, offset]) => ({ partition, offset, seq: null })) });
      return api;
    },
    process: (t: number, partition: number, offset: number, c = 'c1', type: OpType = 'ok') => {
      add(t, c, 'invoke', 'process', { consumer: c, assignment: 1, partition, offset, seq: null });
      if (type !== 'invoke') add(t, c, type, 'process', { consumer: c, assignment: 1, partition, offset, seq: null });
      return api;
    },
    commit: (t: number, partition: number, offset: number, type: OpType = 'ok', c = 'c1') => {
      add(t, c, 'invoke', 'commit', { consumer: c, assignment: 1, id: 0, auto: false, offsets: [{ partition, offset }] });
      add(t, c, type, 'commit', { consumer: c, assignment: 1, id: 0, auto: false, offsets: [{ partition, offset }], ...(type === 'ok' ? {} : { error: 'x' }) });
      return api;
    },
    crash: (t: number, c = 'c1') => (add(t, c, 'info', 'crash', { consumer: c, assignment: 1, signal: 'SIGKILL' }), api),
    committed: (t: number, offsets: Array<[number, number | null]>) => (add(t, 'harness', 'ok', 'committed', { group: 'g', offsets: offsets.map(([partition, offset]) => ({ partition, offset })) }), api),
    nemesis: (t: number, f: 'inject' | 'heal', fault: string, target = 'k1') => (add(t, 'nemesis', 'info', f, { fault, target }), api),
  };
  return api;
}

const records = (partition: number, count: number): ObservedRecord[] =>
  Array.from({ length: count }, (_, offset) => ({ partition, offset, seq: partition * 1000 + offset, key: null }));

/** A clean run: one consumer reads p0 offsets 0..n-1 in one assignment, processes and commits each. */
function clean(n: number) {
  const h = history().start(0).assign(10, [0]);
  for (let o = 0; o < n; o++) h.poll(20 + o * 10, [[0, o]]).process(21 + o * 10, 0, o).commit(22 + o * 10, 0, o + 1);
  return h;
}

test('a clean at-least-once run has no anomaly', () => {
  const { counts } = checkConsumers(clean(5).committed(100, [[0, 5]]).ops, records(0, 5));
  expect(counts).toMatchObject({ records: 5, processed: 5, unconsumed: 0, processedLost: 0, processedTwice: 0, pollSkip: 0, nonmonotonicPoll: 0, committedBeyondProcessed: 0, rebalances: 1, commits: 5, commitsFailed: 0, crashes: 0 });
});

test('processedLost: a record below the committed offset that nobody processed (at most once after a crash)', () => {
  // commit-before-processing: commit 0..2 (position 3), process 0 and crash while processing 1; 2 never.
  const h = history().start(0).assign(1, [0]).poll(2, [[0, 0], [0, 1], [0, 2]]).commit(3, 0, 3).process(4, 0, 0).process(5, 0, 1, 'c1', 'invoke').crash(6).committed(20, [[0, 3]]);
  const result = checkConsumers(h.ops, records(0, 4));
  expect(result.counts).toMatchObject({ processedLost: 2, unconsumed: 3, crashes: 1, committedBeyondProcessed: 1 });
  expect(result.anomalies.processedLost.map((r) => r.offset)).toEqual([1, 2]);
});

test('the committed position is the harness\'s read when there is one, else the last successful commit', () => {
  const base = () => history().start(0).assign(1, [0]).poll(2, [[0, 0]]).commit(3, 0, 2).commit(4, 0, 3, 'fail');
  expect(checkConsumers(base().ops, records(0, 3)).committed).toEqual({ 0: 2 });
  expect(checkConsumers(base().committed(9, [[0, 1]]).ops, records(0, 3)).committed).toEqual({ 0: 1 });
  expect(checkConsumers(base().ops, records(0, 3)).counts).toMatchObject({ commits: 1, commitsFailed: 1, processedLost: 2 });
});

test('processedTwice: extra processings summed over records (at least once after a crash)', () => {
  const h = clean(3);
  h.crash(100).start(110, 'c2').assign(120, [0], 1, 'c2').poll(130, [[0, 1], [0, 2]], 1, 'c2').process(131, 0, 1, 'c2').process(132, 0, 2, 'c2').process(133, 0, 2, 'c2');
  const result = checkConsumers(h.ops, records(0, 3));
  expect(result.counts.processedTwice).toBe(3);
  expect(result.anomalies.processedTwice.map((r) => r.offset)).toEqual([1, 2]);
});

test('pollSkip: a gap within one assignment counts the records jumped over; a new assignment starts fresh', () => {
  const h = history().start(0).assign(1, [0]).poll(2, [[0, 0], [0, 1]]).poll(3, [[0, 4]]);
  expect(checkConsumers(h.ops, records(0, 5)).counts.pollSkip).toBe(2);
  // Offsets 2 and 3 hold no record (transaction markers): nothing skipped.
  const sparse = records(0, 5).filter((r) => r.offset !== 2 && r.offset !== 3);
  expect(checkConsumers(h.ops, sparse).counts.pollSkip).toBe(0);
  const rebalanced = history().start(0).assign(1, [0]).poll(2, [[0, 0]]).assign(3, [0], 2).poll(4, [[0, 4]], 2);
  expect(checkConsumers(rebalanced.ops, records(0, 5)).counts.pollSkip).toBe(0);
});

test('nonmonotonicPoll: an offset at or below one already polled in the same assignment', () => {
  const h = history().start(0).assign(1, [0]).poll(2, [[0, 0], [0, 1], [0, 2]]).poll(3, [[0, 1], [0, 2], [0, 3]]);
  const result = checkConsumers(h.ops, records(0, 4));
  expect(result.counts).toMatchObject({ nonmonotonicPoll: 2, pollSkip: 0 });
  expect(result.anomalies.nonmonotonicPoll[0]).toEqual({ consumer: 'c1', partition: 0, fromOffset: 2, toOffset: 1 });
  const otherConsumer = history().start(0).assign(1, [0]).poll(2, [[0, 0], [0, 1]]).assign(3, [0], 1, 'c2').poll(4, [[0, 0]], 1, 'c2');
  expect(checkConsumers(otherConsumer.ops, records(0, 2)).counts.nonmonotonicPoll).toBe(0);
});

test('committedBeyondProcessed: a commit above a record not processed by then (librdkafka auto-commit, commit before processing)', () => {
  const h = history().start(0).assign(1, [0]).poll(2, [[0, 0], [0, 1]]).process(3, 0, 0).commit(4, 0, 2).process(5, 0, 1).commit(6, 0, 2);
  expect(checkConsumers(h.ops, records(0, 2)).counts.committedBeyondProcessed).toBe(1);
});

test('stall: the longest time a partition with records left saw no new record processed; broker process faults excluded', () => {
  const h = history().start(0).assign(100, [0, 1]);
  h.poll(200, [[1, 0]]).process(300, 1, 0).poll(310, [[1, 1]]).process(400, 1, 1);
  h.poll(5_000, [[0, 0]]).process(5_100, 0, 0);
  const result = checkConsumers(h.ops, [...records(0, 2), ...records(1, 2)]);
  // From the first assignment (100): p0 one of two records by 5100, then nothing to the end: longest gap 5000. p1 done at 400: gaps 200, 100.
  expect(result.stallMsByPartition).toEqual({ 0: 5_000, 1: 200 });
  expect(result.counts.stallMsMax).toBe(5_000);
  const withKill = history().start(0).nemesis(1_000, 'inject', 'kill').nemesis(4_000, 'heal', 'kill').poll(5_000, [[0, 0]]).process(5_000, 0, 0);
  expect(checkConsumers(withKill.ops, records(0, 1)).stallMsByPartition).toEqual({ 0: 2_000 });
  const withLinkCut = history().start(0).nemesis(1_000, 'inject', 'blackhole').nemesis(4_000, 'heal', 'blackhole').poll(5_000, [[0, 0]]).process(5_000, 0, 0);
  expect(checkConsumers(withLinkCut.ops, records(0, 1)).stallMsByPartition).toEqual({ 0: 5_000 });
});

test('heldByLinkFault: a partition with records waiting and none processed from its assignment (or the cut, when later) to the heal', () => {
  // Cut from 0 to 15 000; the join took 4 000 (a pin on the stall's length would see 11 000): p0 held, p1 progressed.
  const h = history().start(0).nemesis(0, 'inject', 'blackhole').assign(4_000, [0, 1]);
  h.poll(4_100, [[1, 0]]).process(4_200, 1, 0).nemesis(15_000, 'heal', 'blackhole').poll(15_100, [[0, 0], [1, 1]]).process(15_200, 0, 0).process(15_300, 1, 1);
  expect(checkConsumers(h.ops, [...records(0, 1), ...records(1, 2)]).counts.heldByLinkFault).toBe(1);
  // Assigned only after the heal: the cut held nothing of it.
  const late = history().start(0).nemesis(0, 'inject', 'blackhole').nemesis(3_000, 'heal', 'blackhole').assign(4_000, [0]).poll(4_100, [[0, 0]]).process(4_200, 0, 0);
  expect(checkConsumers(late.ops, records(0, 1)).counts.heldByLinkFault).toBe(0);
  // Nothing left to process at the cut's start: not held.
  const done = history().start(0).assign(1, [0]).poll(2, [[0, 0]]).process(3, 0, 0).nemesis(10, 'inject', 'blackhole').nemesis(5_000, 'heal', 'blackhole');
  expect(checkConsumers(done.ops, records(0, 1)).counts.heldByLinkFault).toBe(0);
  // A replication-link cut or a process fault is not a client-link fault.
  const replication = history().start(0).assign(1, [0]);
  replication.ops.push({ index: 99, timeMs: 2, process: 'nemesis', type: 'info', f: 'inject', value: { fault: 'blackhole', target: 'k1', link: 'replication' } });
  replication.ops.push({ index: 100, timeMs: 5_000, process: 'nemesis', type: 'info', f: 'heal', value: { fault: 'blackhole', target: 'k1', link: 'replication' } });
  replication.nemesis(6_000, 'inject', 'kill').nemesis(9_000, 'heal', 'kill');
  expect(checkConsumers(replication.ops, records(0, 1)).counts.heldByLinkFault).toBe(0);
});

test('rebalances count every assignment; producer-only histories have no consumer ops', () => {
  const h = history().start(0).assign(1, [0, 1, 2]).assign(5, [0], 2).start(6, 'c2').assign(7, [1, 2], 1, 'c2');
  expect(checkConsumers(h.ops, []).counts.rebalances).toBe(3);
  expect(hasConsumerOps(h.ops)).toBe(true);
  expect(hasConsumerOps([{ index: 0, timeMs: 0, process: 'p1', type: 'invoke', f: 'send', value: { seq: 0 } }])).toBe(false);
});

test('a second member joining and leaving: its assignments and every revocation counted; a record both members processed is processed twice', () => {
  const h = history().start(0).assign(1, [0, 1]).poll(2, [[0, 0]]).process(3, 0, 0);
  h.ops.push({ index: h.ops.length, timeMs: 4, process: 'c1', type: 'info', f: 'revoke', value: { consumer: 'c1', assignment: 1, partitions: [0, 1], generation: null } });
  h.assign(5, [0], 2).start(4, 'm2').assign(5, [1], 1, 'm2').poll(6, [[1, 0]], 1, 'm2').process(6, 1, 0, 'm2');
  h.ops.push({ index: h.ops.length, timeMs: 7, process: 'm2', type: 'info', f: 'leave', value: { consumer: 'm2' } });
  h.ops.push({ index: h.ops.length, timeMs: 7, process: 'm2', type: 'info', f: 'revoke', value: { consumer: 'm2', assignment: 1, partitions: [1], generation: null } });
  h.assign(8, [0, 1], 3).poll(9, [[0, 0], [1, 0]], 3).process(9, 0, 0).process(9, 1, 0);
  const { counts } = checkConsumers(h.ops, [...records(0, 1), ...records(1, 1)]);
  expect(counts).toMatchObject({ rebalances: 4, revocations: 2, processed: 2, processedTwice: 2, pollSkip: 0, nonmonotonicPoll: 0 });
});

test('an expectation on a count an older result lacks reads it as 0', () => {
  const [result] = evaluateConsumerExpectations({ revocations: 0 }, { records: 1 } as never);
  expect(result).toMatchObject({ count: 'revocations', actual: 0, pass: true });
});

test('a consumer op with a non-numeric offset is one error naming the op', () => {
  const h = history().start(0);
  h.ops.push({ index: 1, timeMs: 1, process: 'c1', type: 'ok', f: 'process', value: { consumer: 'c1', assignment: 1, partition: 0, offset: 'x' } });
  expect(() => checkConsumers(h.ops, [])).toThrow('history op 1 (process ok): value.offset: not a number ("x")');
});

test('a numeric string partition or offset (how kafkajs reports its own commits) reads as its number', () => {
  const h = history().start(0).assign(1, [0]).poll(2, [[0, 0]]).process(3, 0, 0);
  h.ops.push({ index: h.ops.length, timeMs: 4, process: 'c1', type: 'ok', f: 'commit', value: { consumer: 'c1', assignment: 1, id: 0, auto: true, offsets: [{ partition: '0', offset: '1' }] } });
  expect(checkConsumers(h.ops, records(0, 1)).committed).toEqual({ 0: 1 });
});

test('consumer expectations: a bare number means eq; operators compare; an unknown count is named', () => {
  const { counts } = checkConsumers(clean(2).ops, records(0, 2));
  expect(evaluateConsumerExpectations({ processedLost: 0, processed: { gte: 2, lt: 2 } }, counts)).toEqual([
    { count: 'processedLost', op: 'eq', value: 0, actual: 0, pass: true },
    { count: 'processed', op: 'gte', value: 2, actual: 2, pass: true },
    { count: 'processed', op: 'lt', value: 2, actual: 2, pass: false },
  ]);
  expect(() => evaluateConsumerExpectations({ processedLots: 0 } as never, counts)).toThrow('consumer expectation processedLots: unknown count');
});

test('property: processed + unconsumed = records; processedLost ≤ unconsumed; one in-order pass of every offset has no poll anomaly', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 3 }), fc.array(fc.boolean(), { maxLength: 60 }), fc.nat({ max: 25 }), (sizes, processedFlags, committedAt) => {
      const observed = sizes.flatMap((n, p) => records(p, n));
      const h = history().start(0).assign(1, sizes.map((_, p) => p));
      let i = 0;
      sizes.forEach((n, p) => {
        if (n > 0) h.poll(2, Array.from({ length: n }, (_, o) => [p, o] as [number, number]));
        for (let o = 0; o < n; o++) if (processedFlags[i++ % Math.max(1, processedFlags.length)]) h.process(3, p, o);
      });
      h.committed(9, sizes.map((_, p) => [p, committedAt] as [number, number]));
      const { counts } = checkConsumers(h.ops, observed);
      expect(counts.processed + counts.unconsumed).toBe(counts.records);
      expect(counts.processedLost).toBeLessThanOrEqual(counts.unconsumed);
      expect(counts.pollSkip + counts.nonmonotonicPoll + counts.processedTwice).toBe(0);
    }),
  );
});
