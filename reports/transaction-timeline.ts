import type { HistoryOp } from '../harness/history/history-types';
import type { FaultWindow } from './timeline-charts';

/**
 * Each transaction of a transactional scenario, from its history: when it began and ended, and
 * how it came out. Pure. The outcomes refine the checker's statuses (transaction-checker.ts
 * statusOf) without contradicting them:
 * - committed: a txn-commit completed ok (late ones too) = the checker's committed;
 * - aborted: aborted on purpose (the scenario's abort share) and not committed;
 * - failed: aborted, or never asked to commit, because something failed (a send, the commit, the
 *   begin, a fatal error): the checker counts these as aborted too (aborted + failed = txnAborted);
 * - unknown: a commit was asked for and neither it nor an abort was confirmed = the checker's unknown.
 */
export type TransactionOutcome = 'committed' | 'aborted' | 'failed' | 'unknown';
export const TRANSACTION_OUTCOMES: readonly TransactionOutcome[] = ['committed', 'aborted', 'failed', 'unknown'];

/** Transactions drawn and listed per scenario; a copier's thousands would make one unreadable bar chart. @default 300 */
export const MAX_TRANSACTION_SPANS = 300;

/** [txn label, fromMs, toMs, outcome, why, sends, sends ok, sends failed or unknown, last error or null] */
export type TransactionSpan = [string, number, number, TransactionOutcome, string | null, number, number, number, string | null];

export interface TransactionTimeline {
  /** Every transaction, by outcome (the spans may be cut to MAX_TRANSACTION_SPANS). */
  outcomes: Record<TransactionOutcome, number>;
  total: number;
  spans: TransactionSpan[];
  windows: FaultWindow[];
  endMs: number;
}

interface Facts {
  label: string;
  fromMs: number;
  toMs: number;
  commitAsked: boolean;
  commitOk: boolean;
  abortOk: boolean;
  why: string | null;
  sendSeqs: Set<string>;
  sendsOk: Set<string>;
  sendsBad: Set<string>;
  error: string | null;
}

const TXN_FUNCTIONS = new Set(['txn-begin', 'txn-commit', 'txn-abort', 'send']);

/** Null when no op names a transaction (not a transactional scenario, or no history). */
export function transactionTimeline(ops: ReadonlyArray<HistoryOp | null>, windows: readonly FaultWindow[]): TransactionTimeline | null {
  const list = ops.filter((op): op is HistoryOp => op !== null && Number.isFinite(op.timeMs) && op.value !== null && typeof op.value === 'object' && TXN_FUNCTIONS.has(op.f)
    && Number.isInteger((op.value as { txn?: unknown }).txn));
  if (list.length === 0) return null;
  // Two producers (a copier beside a producer, a restarted one) may number transactions alike:
  // their transactions are told apart by process, and labelled so only then.
  const processes = new Set(list.map((op) => op.process));
  const facts = new Map<string, Facts>();
  for (const op of list) {
    const v = op.value as { txn: number; seq?: unknown; attempt?: unknown; why?: unknown; error?: unknown };
    const key = `${op.process}\u0000${v.txn}`;
    let f = facts.get(key);
    if (!f) {
      const label = processes.size > 1 ? `${op.process} tx${v.txn}` : `tx${v.txn}`;
      facts.set(key, (f = { label, fromMs: op.timeMs, toMs: op.timeMs, commitAsked: false, commitOk: false, abortOk: false, why: null, sendSeqs: new Set(), sendsOk: new Set(), sendsBad: new Set(), error: null }));
    }
    f.fromMs = Math.min(f.fromMs, op.timeMs);
    f.toMs = Math.max(f.toMs, op.timeMs);
    if (typeof v.error === 'string' && op.type !== 'invoke') f.error = v.error;
    if (op.f === 'send') {
      const send = `${String(v.seq)}/${String(v.attempt)}`;
      if (op.type === 'invoke') f.sendSeqs.add(send);
      else if (op.type === 'ok') f.sendsOk.add(send);
      else f.sendsBad.add(send);
    }
    if (op.f === 'txn-commit' && op.type === 'invoke') f.commitAsked = true;
    if (op.f === 'txn-commit' && op.type === 'ok') f.commitOk = true;
    if (op.f === 'txn-abort' && op.type === 'invoke' && typeof v.why === 'string') f.why = v.why;
    if (op.f === 'txn-abort' && op.type === 'ok') f.abortOk = true;
  }
  const outcomes: Record<TransactionOutcome, number> = { committed: 0, aborted: 0, failed: 0, unknown: 0 };
  const spans = [...facts.values()].sort((a, b) => a.fromMs - b.fromMs).map((f): TransactionSpan => {
    const outcome = outcomeOf(f);
    outcomes[outcome]++;
    const sendsOk = [...f.sendsOk].filter((s) => f.sendSeqs.has(s)).length;
    return [f.label, f.fromMs, f.toMs, outcome, f.why, f.sendSeqs.size, sendsOk, f.sendSeqs.size - sendsOk, f.error];
  });
  const endMs = list.reduce((max, op) => Math.max(max, op.timeMs), Math.max(1, ...windows.map((w) => w.toMs)));
  return { outcomes, total: spans.length, spans: spans.slice(0, MAX_TRANSACTION_SPANS), windows: [...windows], endMs };
}

function outcomeOf(f: Facts): TransactionOutcome {
  if (f.commitOk) return 'committed';
  if (f.abortOk || !f.commitAsked) return f.why === 'on-purpose' ? 'aborted' : 'failed';
  return 'unknown';
}
