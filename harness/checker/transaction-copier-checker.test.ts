import fc from 'fast-check';
import type { ObservedRecord } from '../history/history-types';
import { transactionKey } from '../transactions/transaction-ops';
import { checkCopy } from './transaction-copier-checker';
import type { TransactionStatus } from './transaction-checker';

const INPUT = [0, 1, 2, 3, 4, 5];
/** A clean copy: txn 0 copied seqs 0–2, txn 1 seqs 3–5, both committed. */
const copyOf = (txn: number, seq: number, offset = seq): ObservedRecord => ({ partition: seq % 3, offset, seq, key: transactionKey(txn, seq) });
const CLEAN = INPUT.map((seq) => copyOf(seq < 3 ? 0 : 1, seq));
const statuses = (extra: Array<[number, TransactionStatus]> = []) => new Map<number, TransactionStatus>([[0, 'committed'], [1, 'committed'], ...extra]);

test('a clean copy is exactly once', () => {
  expect(checkCopy(INPUT, CLEAN, statuses())).toMatchObject({ input: 6, output: 6, missing: 0, duplicated: 0, abortedVisible: 0, unexpected: 0, exactlyOnce: true });
});

test('a planted missing record is named', () => {
  const result = checkCopy(INPUT, CLEAN.filter((r) => r.seq !== 4), statuses());
  expect(result).toMatchObject({ missing: 1, exactlyOnce: false });
  expect(result.examples.missing).toEqual([4]);
});

test('a record copied again by a second committed transaction (a zombie not fenced) is a duplicate', () => {
  const result = checkCopy(INPUT, [...CLEAN, copyOf(7, 2, 10)], statuses([[7, 'committed']]));
  expect(result).toMatchObject({ duplicated: 1, missing: 0, abortedVisible: 0, exactlyOnce: false });
  expect(result.examples.duplicated).toEqual([2]);
});

test('a record of an aborted transaction visible read_committed is abortedVisible (and its copy a duplicate)', () => {
  const result = checkCopy(INPUT, [...CLEAN, copyOf(5, 1, 11)], statuses([[5, 'aborted']]));
  expect(result).toMatchObject({ abortedVisible: 1, duplicated: 1, exactlyOnce: false });
  expect(result.examples.abortedVisible).toEqual(['tx5:1']);
});

test('output naming no input seq or no transaction of the history is unexpected', () => {
  const stray: ObservedRecord[] = [copyOf(0, 99, 20), { partition: 0, offset: 21, seq: 1, key: transactionKey(42, 1) }, { partition: 0, offset: 22, seq: null, key: null }];
  expect(checkCopy(INPUT, [...CLEAN, ...stray], statuses())).toMatchObject({ unexpected: 3, duplicated: 0, exactlyOnce: false });
});

test('property: dropping k distinct records and repeating d gives missing k and duplicated d', () => {
  fc.assert(
    fc.property(fc.subarray(INPUT), fc.array(fc.constantFrom(...INPUT), { maxLength: 5 }), (dropped, repeated) => {
      const kept = CLEAN.filter((r) => !dropped.includes(r.seq!));
      const again = repeated.filter((s) => !dropped.includes(s)).map((s, i) => copyOf(9, s, 100 + i));
      const result = checkCopy(INPUT, [...kept, ...again], statuses([[9, 'committed']]));
      expect(result.missing).toBe(dropped.length);
      expect(result.duplicated).toBe(again.length);
      expect(result.exactlyOnce).toBe(dropped.length === 0 && again.length === 0);
    }),
  );
});
