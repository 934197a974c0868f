import fc from 'fast-check';
import { checkTransactions } from '../harness/checker/transaction-checker';
import type { HistoryOp } from '../harness/history/history-types';
import { MAX_TRANSACTION_SPANS, transactionTimeline } from './transaction-timeline';

type Op = Omit<HistoryOp, 'index'>;
const history = (ops: Op[]): HistoryOp[] => ops.map((op, index) => ({ index, ...op }));
const op = (timeMs: number, type: Op['type'], f: Op['f'], value: Record<string, unknown>, process = 'p1'): Op => ({ timeMs, process, type, f, value });

type End = 'commit-ok' | 'commit-info' | 'commit-info-abort-ok' | 'abort-on-purpose' | 'send-failed-abort' | 'begin-failed';

/** One transaction the way transaction-workload.ts records it. */
function txn(id: number, startMs: number, end: End, process = 'p1'): Op[] {
  const seqs = [id * 10, id * 10 + 1];
  const ops: Op[] = [op(startMs, 'invoke', 'txn-begin', { txn: id }, process)];
  if (end === 'begin-failed') return [...ops, op(startMs + 5, 'fail', 'txn-begin', { txn: id, error: 'fenced <b>', fatal: true }, process)];
  ops.push(op(startMs + 1, 'ok', 'txn-begin', { txn: id }, process));
  for (const seq of seqs) ops.push(op(startMs + 2, 'invoke', 'send', { seq, key: `tx${id}:${seq}`, partition: 0, attempt: 1, txn: id }, process));
  ops.push(op(startMs + 3, 'ok', 'send', { seq: seqs[0], attempt: 1, txn: id, partition: 0, offset: id }, process));
  if (end === 'send-failed-abort') {
    ops.push(op(startMs + 4, 'fail', 'send', { seq: seqs[1], attempt: 1, txn: id, partition: 0, error: 'NOT_LEADER' }, process));
    return [...ops, op(startMs + 5, 'invoke', 'txn-abort', { txn: id, seqs, why: 'send-failed' }, process), op(startMs + 9, 'ok', 'txn-abort', { txn: id }, process)];
  }
  ops.push(op(startMs + 4, 'ok', 'send', { seq: seqs[1], attempt: 1, txn: id, partition: 0, offset: id + 1 }, process));
  if (end === 'abort-on-purpose') return [...ops, op(startMs + 5, 'invoke', 'txn-abort', { txn: id, seqs, why: 'on-purpose' }, process), op(startMs + 9, 'ok', 'txn-abort', { txn: id }, process)];
  ops.push(op(startMs + 5, 'invoke', 'txn-commit', { txn: id, seqs }, process));
  if (end === 'commit-ok') return [...ops, op(startMs + 50, 'ok', 'txn-commit', { txn: id }, process)];
  ops.push(op(startMs + 50, 'info', 'txn-commit', { txn: id, error: 'timed out' }, process));
  if (end === 'commit-info') return ops;
  return [...ops, op(startMs + 60, 'invoke', 'txn-abort', { txn: id, seqs, why: 'commit-failed' }, process), op(startMs + 70, 'ok', 'txn-abort', { txn: id }, process)];
}

describe('transactionTimeline', () => {
  it('is null without transaction ops', () => {
    expect(transactionTimeline(history([op(1, 'invoke', 'send', { seq: 0 })]), [])).toBeNull();
  });

  it('gives each transaction its span, outcome, reason and sends', () => {
    const ops = history([
      ...txn(0, 100, 'commit-ok'), ...txn(1, 200, 'abort-on-purpose'), ...txn(2, 300, 'send-failed-abort'),
      ...txn(3, 400, 'commit-info'), ...txn(4, 500, 'commit-info-abort-ok'), ...txn(5, 600, 'begin-failed'),
    ]);
    const tl = transactionTimeline(ops, [{ fromMs: 250, toMs: 450, label: 'blackhole k1' }])!;
    expect(tl.outcomes).toEqual({ committed: 1, aborted: 1, failed: 3, unknown: 1 });
    expect(tl.total).toBe(6);
    expect(tl.spans[0]).toEqual(['tx0', 100, 150, 'committed', null, 2, 2, 0, null]);
    expect(tl.spans[1]).toEqual(['tx1', 200, 209, 'aborted', 'on-purpose', 2, 2, 0, null]);
    expect(tl.spans[2]).toEqual(['tx2', 300, 309, 'failed', 'send-failed', 2, 1, 1, 'NOT_LEADER']);
    expect(tl.spans[3]).toEqual(['tx3', 400, 450, 'unknown', null, 2, 2, 0, 'timed out']);
    expect(tl.spans[4].slice(3, 5)).toEqual(['failed', 'commit-failed']);
    expect(tl.spans[5]).toEqual(['tx5', 600, 605, 'failed', null, 0, 0, 0, 'fenced <b>']);
    expect(tl.windows).toEqual([{ fromMs: 250, toMs: 450, label: 'blackhole k1' }]);
    expect(tl.endMs).toBe(605);
  });

  it('tells two producers numbering transactions alike apart', () => {
    const tl = transactionTimeline(history([...txn(0, 100, 'commit-ok', 'p1'), ...txn(0, 120, 'abort-on-purpose', 'copier')]), [])!;
    expect(tl.spans.map((s) => [s[0], s[3]])).toEqual([['p1 tx0', 'committed'], ['copier tx0', 'aborted']]);
  });

  it('lists at most MAX_TRANSACTION_SPANS and still counts every transaction', () => {
    const ops = history(Array.from({ length: MAX_TRANSACTION_SPANS + 7 }, (_, i) => txn(i, i * 100, 'commit-ok')).flat());
    const tl = transactionTimeline(ops, [])!;
    expect(tl.spans).toHaveLength(MAX_TRANSACTION_SPANS);
    expect(tl.outcomes.committed).toBe(MAX_TRANSACTION_SPANS + 7);
  });

  it('agrees with the checker: committed and unknown alike, aborted + failed = txnAborted (property)', () => {
    const ends: End[] = ['commit-ok', 'commit-info', 'commit-info-abort-ok', 'abort-on-purpose', 'send-failed-abort', 'begin-failed'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...ends), { minLength: 1, maxLength: 20 }), (plan) => {
      const ops = history(plan.flatMap((end, i) => txn(i, i * 100, end)));
      const { counts } = checkTransactions(ops, [], null);
      const tl = transactionTimeline(ops, [])!;
      expect(tl.outcomes.committed).toBe(counts.txnCommitted);
      expect(tl.outcomes.unknown).toBe(counts.txnUnknown);
      expect(tl.outcomes.aborted + tl.outcomes.failed).toBe(counts.txnAborted);
    }), { numRuns: 100 });
  });
});
