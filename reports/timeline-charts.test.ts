import type { HistoryOp } from '../harness/history/history-types';
import { bucketWidthMs, MAX_BUCKETS, scenarioTimeline, UNKNOWN_PARTITION_TITLE } from './timeline-charts';
import { scenarioResult } from './testing/results-builder';

function history(ops: Array<Omit<HistoryOp, 'index' | 'process' | 'f'> & Partial<HistoryOp>>): HistoryOp[] {
  return ops.map((op, index) => ({ index, process: 'p1', f: 'send', ...op }) as HistoryOp);
}

describe('scenarioTimeline', () => {
  it('counts a send on the partition its answer named, and only unanswered ones as unknown', () => {
    const ops = history([
      { timeMs: 0, type: 'invoke', value: { seq: 0, key: null, partition: null, attempt: 1 } },
      { timeMs: 10, type: 'ok', value: { seq: 0, partition: 1, offset: 0, attempt: 1 } },
      { timeMs: 20, type: 'invoke', value: { seq: 1, key: null, partition: null, attempt: 1 } },
      { timeMs: 3000, type: 'fail', value: { seq: 1, attempt: 1, tried: [0, 0], error: 'timeout' } },
      { timeMs: 30, type: 'invoke', value: { seq: 2, key: null, partition: null, attempt: 1 } },
      { timeMs: 4000, type: 'info', value: { seq: 2, attempt: 1, error: 'no outcome before the drain deadline' } },
      { timeMs: 40, type: 'invoke', value: { seq: 3, key: 'k', partition: 2 } },
      { timeMs: 50, type: 'ok', value: { seq: 3, partition: 2, offset: 0 } },
    ]);
    const tl = scenarioTimeline(scenarioResult({ faults: [] }), ops)!;
    expect(tl.source).toBe('history');
    const byPartition = Object.fromEntries(tl.partitions.map((p) => [p.partition, p]));
    expect(Object.keys(byPartition)).toEqual(['0', '1', '2', '?']);
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect([sum(byPartition['1'].sends), sum(byPartition['1'].acks)]).toEqual([1, 1]);
    expect([sum(byPartition['0'].sends), sum(byPartition['0'].errors)]).toEqual([1, 1]);
    expect([sum(byPartition['2'].sends), sum(byPartition['2'].acks)]).toEqual([1, 1]);
    expect([sum(byPartition['?'].sends), sum(byPartition['?'].errors)]).toEqual([1, 1]);
    expect(byPartition['?'].title).toBe(UNKNOWN_PARTITION_TITLE);
    expect(byPartition['0'].title).toBe('partition 0 (leader k1 at start)');
  });

  it('pairs an answer without an attempt number with the latest invoke of its seq', () => {
    const ops = history([
      { timeMs: 0, type: 'invoke', value: { seq: 7, key: null, partition: null } },
      { timeMs: 5, type: 'fail', value: { seq: 7, error: 'x' } },
      { timeMs: 6, type: 'invoke', value: { seq: 7, key: null, partition: null } },
      { timeMs: 9, type: 'ok', value: { seq: 7, partition: 2, offset: 4 } },
    ]);
    const tl = scenarioTimeline(scenarioResult({ faults: [] }), ops)!;
    expect(tl.partitions.map((p) => [p.partition, p.sends.reduce((a, b) => a + b, 0)])).toEqual([['2', 1], ['?', 1]]);
  });

  it('adapts the bucket width to the scenario length', () => {
    expect(bucketWidthMs(4000)).toBe(50);
    expect(bucketWidthMs(36_000)).toBe(500);
    expect(bucketWidthMs(600_000)).toBe(10_000);
    for (const span of [1, 999, 4000, 36_000, 3_600_000, 86_400_000, 1e300]) expect(Math.ceil(span / bucketWidthMs(span))).toBeLessThanOrEqual(MAX_BUCKETS);
  });

  it('shades fault windows and marks each heal with the time to the first ack after it', () => {
    const ops = history([
      { timeMs: 100, type: 'invoke', value: { seq: 0, key: null, partition: 0, attempt: 1 } },
      { timeMs: 200, process: 'nemesis', f: 'heal', type: 'info', value: { fault: 'blackhole', target: 'k1' } },
      { timeMs: 260, type: 'ok', value: { seq: 0, partition: 0, offset: 0, attempt: 1 } },
    ]);
    const s = scenarioResult({ faults: [{ kind: 'blackhole', target: 'k1', atMs: 50, healAtMs: 200 }], timeToFirstAckAfterHealMs: [60] });
    const tl = scenarioTimeline(s, ops)!;
    expect(tl.windows).toEqual([{ fromMs: 50, toMs: 200, label: 'blackhole k1' }]);
    expect(tl.heals).toEqual([{ atMs: 200, firstAckAfterMs: 60 }]);
  });

  it("falls back to results.json's per-second buckets without a history, and says so", () => {
    const s = scenarioResult({ timeline: [{ second: 0, partition: '?', sends: 3, acks: 0, errors: 3 }, { second: 1, partition: '1', sends: 5, acks: 5, errors: 0 }] });
    const tl = scenarioTimeline(s, null)!;
    expect(tl).toMatchObject({ bucketMs: 1000, source: 'results' });
    expect(tl.partitions.map((p) => p.partition)).toEqual(['1', '?']);
    expect(tl.partitions[1].title).toMatch(/per-second buckets from results\.json/);
    expect(scenarioTimeline(scenarioResult({ timeline: [] }), null)).toBeNull();
  });
});
