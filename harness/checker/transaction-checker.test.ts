import fc from 'fast-check';
import type { HistoryOp, ObservedRecord } from '../history/history-types';
import { transactionKey } from '../transactions/transaction-ops';
import { checkTransactions } from './transaction-checker';

type End = 'commit-ok' | 'commit-info' | 'abort-ok' | 'abort-info' | 'none' | 'commit-fail-abort-ok';

/** A history of transactions, each with its seqs and how its end calls came out. */
function history(txns: Array<{ seqs: number[]; end: End }>): HistoryOp[] {
  const ops: HistoryOp[] = [];
  const add = (type: HistoryOp['type'], f: HistoryOp['f'], value: Record<string, unknown>) =>
    ops.push({ index: ops.length, timeMs: ops.length, process: 'p1', type, f, value });
  txns.forEach(({ seqs, end }, txn) => {
    add('invoke', 'txn-begin', { txn });
    add('ok', 'txn-begin', { txn });
    for (const seq of seqs) {
      add('invoke', 'send', { seq, key: transactionKey(txn, seq), partition: seq % 3, txn });
      add('ok', 'send', { seq, partition: seq % 3, offset: null, txn });
    }
    if (end === 'none') return;
    const [f, type] = end.startsWith('commit') ? (['txn-commit', end === 'commit-ok' ? 'ok' : end === 'commit-info' ? 'info' : 'fail'] as const) : (['txn-abort', end === 'abort-ok' ? 'ok' : 'info'] as const);
    add('invoke', f, { txn, seqs });
    add(type, f, { txn });
    if (end === 'commit-fail-abort-ok') {
      add('invoke', 'txn-abort', { txn, seqs, why: 'commit-failed' });
      add('ok', 'txn-abort', { txn });
    }
  });
  return ops;
}

const record = (txn: number, seq: number, offset = seq): ObservedRecord => ({ partition: seq % 3, offset, seq, key: transactionKey(txn, seq) });
const recordsOf = (txn: number, seqs: number[]) => seqs.map((seq) => record(txn, seq));

test('a clean run: committed transactions fully visible, aborted ones not, counts all 0', () => {
  const ops = history([{ seqs: [0, 1, 2], end: 'commit-ok' }, { seqs: [3, 4], end: 'abort-ok' }, { seqs: [5, 6], end: 'commit-ok' }]);
  const rc = [...recordsOf(0, [0, 1, 2]), ...recordsOf(2, [5, 6])];
  const ru = [...rc, ...recordsOf(1, [3, 4])];
  const { counts } = checkTransactions(ops, rc, ru);
  expect(counts).toEqual({
    txnCommitted: 2, txnAborted: 1, txnUnknown: 0, committedLost: 0, abortedRead: 0,
    tornTransactions: 0, duplicatesAcrossTransactions: 0, abortedWritten: 2,
  });
});

test('planted committedLost: a record of a committed transaction missing under read_committed (and that transaction is torn)', () => {
  const ops = history([{ seqs: [0, 1, 2], end: 'commit-ok' }]);
  const result = checkTransactions(ops, recordsOf(0, [0, 2]), null);
  expect(result.counts.committedLost).toBe(1);
  expect(result.anomalies.committedLost).toEqual(['tx0:1']);
  expect(result.counts.tornTransactions).toBe(1);
});

test('planted abortedRead: records of an aborted transaction, a commit that failed then aborted, and one never committed', () => {
  const ops = history([{ seqs: [0, 1], end: 'abort-ok' }, { seqs: [2], end: 'commit-fail-abort-ok' }, { seqs: [3], end: 'none' }, { seqs: [4], end: 'abort-info' }]);
  const result = checkTransactions(ops, [record(0, 1), record(1, 2), record(2, 3), record(3, 4)], null);
  expect(result.counts.abortedRead).toBe(4);
  expect(result.anomalies.abortedRead).toEqual(['tx0:1', 'tx1:2', 'tx2:3', 'tx3:4']);
  expect(result.counts.txnAborted).toBe(4);
});

test('a commit never confirmed may land either way, but all or nothing: only a partial one is torn', () => {
  const ops = history([{ seqs: [0, 1], end: 'commit-info' }, { seqs: [2, 3], end: 'commit-info' }, { seqs: [4, 5], end: 'commit-info' }]);
  const result = checkTransactions(ops, [...recordsOf(0, [0, 1]), record(2, 4)], null);
  expect(result.counts).toMatchObject({ txnUnknown: 3, committedLost: 0, abortedRead: 0, tornTransactions: 1 });
  expect(result.anomalies.tornTransactions).toEqual([2]);
});

test('planted duplicatesAcrossTransactions: a seq retried in a new transaction after a commit that did land', () => {
  const ops = history([{ seqs: [0, 1], end: 'commit-info' }, { seqs: [0, 1], end: 'commit-ok' }]);
  const result = checkTransactions(ops, [...recordsOf(0, [0, 1]), ...recordsOf(1, [0, 1])], null);
  expect(result.counts.duplicatesAcrossTransactions).toBe(2);
  expect(result.anomalies.duplicatesAcrossTransactions).toEqual([0, 1]);
  // The same record twice inside one transaction is not across transactions (the producer checker's duplicates).
  expect(checkTransactions(history([{ seqs: [0], end: 'commit-ok' }]), [record(0, 0, 0), record(0, 0, 1)], null).counts.duplicatesAcrossTransactions).toBe(0);
});

test('a late commit ok (after an info) makes the transaction committed', () => {
  const ops = history([{ seqs: [0], end: 'commit-info' }]);
  ops.push({ index: ops.length, timeMs: 99, process: 'p1', type: 'ok', f: 'txn-commit', value: { txn: 0 }, late: true });
  expect(checkTransactions(ops, [], null).counts).toMatchObject({ txnCommitted: 1, committedLost: 1 });
});

test('records without a transaction key are left to the producer checker', () => {
  const ops = history([{ seqs: [0], end: 'commit-ok' }]);
  const counts = checkTransactions(ops, [record(0, 0), { partition: 0, offset: 9, seq: 7, key: 'k-7' }], null).counts;
  expect(counts).toMatchObject({ committedLost: 0, abortedRead: 0, duplicatesAcrossTransactions: 0 });
});

const END = fc.constantFrom<End>('commit-ok', 'commit-info', 'abort-ok', 'abort-info', 'none', 'commit-fail-abort-ok');

test('property: reading exactly what the outcomes allow gives no anomaly; dropping a committed record or showing an aborted one is found', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ size: fc.integer({ min: 1, max: 4 }), end: END, landed: fc.boolean() }), { minLength: 1, maxLength: 8 }), fc.nat(), (specs, pick) => {
      let next = 0;
      const txns = specs.map((s) => ({ seqs: Array.from({ length: s.size }, () => next++), end: s.end, landed: s.landed }));
      const ops = history(txns);
      const visible = (t: (typeof txns)[number]) => t.end === 'commit-ok' || (t.end === 'commit-info' && t.landed);
      const rc = txns.flatMap((t, txn) => (visible(t) ? recordsOf(txn, t.seqs) : []));
      const clean = checkTransactions(ops, rc, null).counts;
      expect([clean.committedLost, clean.abortedRead, clean.tornTransactions, clean.duplicatesAcrossTransactions]).toEqual([0, 0, 0, 0]);

      const committed = rc.filter((r) => txns[Number(r.key!.slice(2).split(':')[0])].end === 'commit-ok');
      if (committed.length > 0) {
        const dropped = committed[pick % committed.length];
        expect(checkTransactions(ops, rc.filter((r) => r !== dropped), null).counts.committedLost).toBe(1);
      }
      const abortedTxn = txns.findIndex((t) => t.end === 'abort-ok' || t.end === 'none' || t.end === 'abort-info' || t.end === 'commit-fail-abort-ok');
      if (abortedTxn >= 0) {
        expect(checkTransactions(ops, [...rc, record(abortedTxn, txns[abortedTxn].seqs[0])], null).counts.abortedRead).toBe(1);
      }
    }),
  );
});
