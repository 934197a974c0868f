import type { HistoryOp, ObservedRecord } from '../history/history-types';
import { parseTransactionKey, type TransactionOpValue } from '../transactions/transaction-ops';

/**
 * What a transaction's end calls say about it:
 * - committed: a txn-commit completed ok (late ones too);
 * - aborted: a txn-abort completed ok, or a commit was never asked for (the coordinator aborts a
 *   transaction that is never committed, at its timeout or when the id is initialised again);
 * - unknown: a commit was asked for and never confirmed, nor an abort: either outcome is allowed,
 *   but all or nothing.
 */
export type TransactionStatus = 'committed' | 'aborted' | 'unknown';

/** The transaction counts (DESIGN.md, "Transaction definitions"); of distinct (txn, seq) records unless said. */
export interface TransactionCounts {
  /** Transactions by status (counts of transactions). */
  txnCommitted: number;
  txnAborted: number;
  txnUnknown: number;
  /** Seqs sent in a committed transaction with no record of that transaction under read_committed. */
  committedLost: number;
  /** Records of an aborted transaction visible under read_committed. */
  abortedRead: number;
  /** Committed or unknown transactions of which some, not all, records are visible under read_committed (transactions). */
  tornTransactions: number;
  /** Σ over seqs of (transactions with a visible record of the seq − 1), read_committed. */
  duplicatesAcrossTransactions: number;
  /** Records of aborted or unknown transactions present under read_uncommitted: they did reach the log. */
  abortedWritten: number;
}

export interface TransactionAnomalies {
  /** "tx<txn>:<seq>" keys, first few. */
  committedLost: string[];
  abortedRead: string[];
  tornTransactions: number[];
  duplicatesAcrossTransactions: number[];
}

export interface TransactionCheck {
  counts: TransactionCounts;
  anomalies: TransactionAnomalies;
  statuses: Map<number, TransactionStatus>;
}

/** Offenders listed per anomaly. @default 20 */
const ANOMALY_LIST_LIMIT = 20;

interface TxnFacts {
  seqs: Set<number>;
  commitAsked: boolean;
  commitOk: boolean;
  abortOk: boolean;
}

function txnOf(op: HistoryOp): number | undefined {
  const txn = (op.value as TransactionOpValue).txn;
  return typeof txn === 'number' && Number.isInteger(txn) ? txn : undefined;
}

/** Per transaction: the seqs sent in it and what its end calls said. */
export function transactionFacts(ops: readonly HistoryOp[]): Map<number, TxnFacts> {
  const facts = new Map<number, TxnFacts>();
  const of = (txn: number) => {
    let f = facts.get(txn);
    if (!f) facts.set(txn, (f = { seqs: new Set(), commitAsked: false, commitOk: false, abortOk: false }));
    return f;
  };
  for (const op of ops) {
    const txn = txnOf(op);
    if (txn === undefined) continue;
    const value = op.value as TransactionOpValue & { seq?: number };
    if (op.f === 'send' && op.type === 'invoke' && typeof value.seq === 'number') of(txn).seqs.add(value.seq);
    if (op.f === 'txn-begin') of(txn);
    if ((op.f === 'txn-commit' || op.f === 'txn-abort') && op.type === 'invoke') for (const seq of value.seqs ?? []) of(txn).seqs.add(seq);
    if (op.f === 'txn-commit' && op.type === 'invoke') of(txn).commitAsked = true;
    if (op.f === 'txn-commit' && op.type === 'ok') of(txn).commitOk = true;
    if (op.f === 'txn-abort' && op.type === 'ok') of(txn).abortOk = true;
  }
  return facts;
}

export function statusOf(f: TxnFacts): TransactionStatus {
  if (f.commitOk) return 'committed';
  if (f.abortOk || !f.commitAsked) return 'aborted';
  return 'unknown';
}

/** Distinct (txn, seq) pairs among observed records whose key names a transaction. */
function visiblePairs(records: readonly ObservedRecord[]): Map<number, Set<number>> {
  const byTxn = new Map<number, Set<number>>();
  for (const record of records) {
    const parsed = parseTransactionKey(record.key);
    if (!parsed) continue;
    let seqs = byTxn.get(parsed.txn);
    if (!seqs) byTxn.set(parsed.txn, (seqs = new Set()));
    seqs.add(parsed.seq);
  }
  return byTxn;
}

/**
 * The transactions checker: a pure function of the history and the records read back
 * read_committed (and read_uncommitted, when the verifier read it; null leaves abortedWritten 0).
 * Records are attributed to their transaction by key (transactionKey). Records of committed
 * transactions written twice inside that transaction are the producer checker's `duplicates`.
 */
export function checkTransactions(ops: readonly HistoryOp[], readCommitted: readonly ObservedRecord[], readUncommitted: readonly ObservedRecord[] | null): TransactionCheck {
  const facts = transactionFacts(ops);
  const statuses = new Map([...facts].map(([txn, f]) => [txn, statusOf(f)]));
  const committedView = visiblePairs(readCommitted);
  const uncommittedView = readUncommitted ? visiblePairs(readUncommitted) : new Map<number, Set<number>>();
  const counts: TransactionCounts = {
    txnCommitted: 0, txnAborted: 0, txnUnknown: 0, committedLost: 0, abortedRead: 0,
    tornTransactions: 0, duplicatesAcrossTransactions: 0, abortedWritten: 0,
  };
  const anomalies: TransactionAnomalies = { committedLost: [], abortedRead: [], tornTransactions: [], duplicatesAcrossTransactions: [] };
  const note = <T>(list: T[], item: T) => {
    if (list.length < ANOMALY_LIST_LIMIT) list.push(item);
  };

  for (const [txn, f] of [...facts].sort(([a], [b]) => a - b)) {
    const status = statuses.get(txn)!;
    counts[status === 'committed' ? 'txnCommitted' : status === 'aborted' ? 'txnAborted' : 'txnUnknown']++;
    const visible = committedView.get(txn) ?? new Set<number>();
    if (status === 'committed') {
      for (const seq of f.seqs) {
        if (visible.has(seq)) continue;
        counts.committedLost++;
        note(anomalies.committedLost, `tx${txn}:${seq}`);
      }
    }
    if (status === 'aborted') {
      for (const seq of visible) {
        counts.abortedRead++;
        note(anomalies.abortedRead, `tx${txn}:${seq}`);
      }
    } else {
      const seen = [...f.seqs].filter((seq) => visible.has(seq)).length;
      if (seen > 0 && seen < f.seqs.size) {
        counts.tornTransactions++;
        note(anomalies.tornTransactions, txn);
      }
    }
    if (status !== 'committed') counts.abortedWritten += uncommittedView.get(txn)?.size ?? 0;
  }
  // Records naming a transaction the history never began are left to the producer checker (unexpected).
  const txnsBySeq = new Map<number, number>();
  for (const seqs of committedView.values()) for (const seq of seqs) txnsBySeq.set(seq, (txnsBySeq.get(seq) ?? 0) + 1);
  for (const [seq, txns] of [...txnsBySeq].sort(([a], [b]) => a - b)) {
    if (txns < 2) continue;
    counts.duplicatesAcrossTransactions += txns - 1;
    note(anomalies.duplicatesAcrossTransactions, seq);
  }
  return { counts, anomalies, statuses };
}
