import fc from 'fast-check';
import { checkConsumers } from '../harness/checker/consumer-checker';
import type { HistoryOp } from '../harness/history/history-types';
import { consumerProgress, MAX_CONSUMER_MARKS, STALL_SPAN_MIN_MS } from './consumer-progress';

type Op = Omit<HistoryOp, 'index'>;
const history = (ops: Op[]): HistoryOp[] => ops.map((op, index) => ({ index, ...op }));
const send = (timeMs: number, partition: number, offset: number): Op => ({ timeMs, process: 'p1', type: 'ok', f: 'send', value: { seq: partition * 100 + offset, partition, offset } });
const processed = (timeMs: number, partition: number, offset: number, consumer = 'c1'): Op => ({ timeMs, process: consumer, type: 'ok', f: 'process', value: { consumer, assignment: 1, partition, offset, seq: null } });
const commit = (timeMs: number, partition: number, offset: number, type: Op['type'] = 'ok'): Op => ({ timeMs, process: 'c1', type, f: 'commit', value: { consumer: 'c1', assignment: 1, id: 0, auto: false, offsets: [{ partition, offset }] } });
const assign = (timeMs: number, partitions: number[], consumer = 'c1'): Op => ({ timeMs, process: consumer, type: 'info', f: 'assign', value: { consumer, assignment: 1, partitions, generation: null } });

/** p0 holds 6 records, p1 3 (offsets as strings, as kafkajs reports them); p0 stops for 3.2 s after its third record. */
function planted(): HistoryOp[] {
  return history([
    ...[0, 1, 2, 3, 4, 5].map((o) => send(100, 0, o)),
    ...[0, 1, 2].map((o) => send(100, 1, o)),
    { timeMs: 1000, process: 'c1', type: 'info', f: 'start', value: { consumer: 'c1', assignment: 0 } },
    assign(1500, [0, 1]),
    { timeMs: 1550, process: 'c1', type: 'ok', f: 'poll', value: { consumer: 'c1', assignment: 1, records: [{ partition: '0', offset: '0' }] } },
    processed(1600, 0, 0), processed(1700, 0, 1), processed(1800, 0, 2), processed(1600, 1, 0),
    commit(1850, 0, 3),
    commit(1900, 1, 9, 'fail'), // a failed commit moves nothing
    processed(1950, 1, 1), processed(2000, 1, 2), commit(2050, 1, 3),
    processed(5000, 0, 3), processed(5100, 0, 3), processed(5200, 0, 4), processed(5300, 0, 5),
    { timeMs: 5400, process: 'c1', type: 'info', f: 'crash', value: { consumer: 'c1', assignment: 1, signal: 'SIGKILL' } },
  ]);
}

describe('consumerProgress', () => {
  it('is null for a history without consumer ops', () => {
    expect(consumerProgress(history([send(1, 0, 0)]), [])).toBeNull();
    expect(consumerProgress([null], [])).toBeNull();
  });

  it('samples waiting records and the group lag per partition at the end of each bucket', () => {
    const progress = consumerProgress(planted(), [{ fromMs: 2000, toMs: 4000, label: 'blackhole k1' }])!;
    expect(progress.bucketMs).toBe(100);
    expect(progress.partitions.map((p) => p.partition)).toEqual(['0', '1']);
    const [p0, p1] = progress.partitions;
    const at = (ms: number) => Math.floor(ms / progress.bucketMs);
    expect(p0.waiting[at(1000)]).toBe(6);
    expect(p0.uncommitted[at(1000)]).toBe(6);
    expect(p0.waiting[at(1850)]).toBe(3); // 0, 1, 2 processed
    expect(p0.uncommitted[at(1900)]).toBe(3); // committed 3 of end 6
    expect(p0.waiting[at(3000)]).toBe(3);
    expect(p0.waiting[at(5350)]).toBe(0); // offset 3 processed twice counts once
    expect(p0.uncommitted[at(5350)]).toBe(3); // nothing committed after the stall
    expect(p1.uncommitted[at(1950)]).toBe(3); // the failed commit did not move the position
    expect(p1.uncommitted[at(2100)]).toBe(0);
    expect(progress.windows).toEqual([{ fromMs: 2000, toMs: 4000, label: 'blackhole k1' }]);
  });

  it('marks stalls of at least a second with records waiting, and the rebalances and crashes', () => {
    const progress = consumerProgress(planted(), [])!;
    expect(progress.partitions[0].stalls).toEqual([[1800, 5000]]);
    expect(progress.partitions[0].longestStallMs).toBe(3200);
    expect(progress.partitions[1].stalls).toEqual([]);
    expect(progress.marks).toEqual([[1500, 'c1 assigned p0,p1'], [5400, 'c1 killed (SIGKILL)']]);
  });

  it('keeps a partition never finished stalled to the end of the history', () => {
    const ops = history([send(10, 2, 0), send(10, 2, 1), assign(100, [2]), processed(200, 2, 0), { timeMs: 4200, process: 'harness', type: 'ok', f: 'committed', value: { group: 'g', offsets: [] } }]);
    const progress = consumerProgress(ops, [])!;
    expect(progress.partitions[0].stalls).toEqual([[200, 4200]]);
  });

  it('caps the marks and says how many were left out', () => {
    const ops = history(Array.from({ length: MAX_CONSUMER_MARKS + 5 }, (_, i) => assign(i * 10, [0], `c${i}`)));
    const progress = consumerProgress(ops, [])!;
    expect(progress.marks).toHaveLength(MAX_CONSUMER_MARKS);
    expect(progress.marksLeftOut).toBe(5);
  });

  it('finds the same longest stall as the checker when no broker process fault was on (property)', () => {
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3000 })), { minLength: 1, maxLength: 30 });
    fc.assert(fc.property(arb, fc.integer({ min: 0, max: 2 }), (steps, unprocessedTail) => {
      // Records 0..n-1 per partition, processed in order with the given gaps; the last few of p0 never.
      const next = [0, 0, 0];
      const ops: Op[] = [{ timeMs: 0, process: 'c1', type: 'info', f: 'start', value: { consumer: 'c1', assignment: 0 } }, assign(0, [0, 1, 2])];
      const observed = [];
      let t = 0;
      for (const [p, gap] of steps) {
        t += gap;
        const offset = next[p]++;
        observed.push({ partition: p, offset, seq: null, key: null });
        ops.push(processed(t, p, offset));
      }
      for (let i = 0; i < unprocessedTail; i++) observed.push({ partition: 0, offset: next[0]++, seq: null, key: null });
      const h = history([...observed.map((r) => send(0, r.partition, r.offset)), ...ops].sort((a, b) => a.timeMs - b.timeMs));
      const checked = checkConsumers(h, observed);
      const progress = consumerProgress(h, [])!;
      for (const p of progress.partitions) {
        const checker = checked.stallMsByPartition[p.partition] ?? 0;
        expect(p.longestStallMs).toBe(checker >= STALL_SPAN_MIN_MS ? checker : 0);
      }
    }), { numRuns: 200 });
  });
});
