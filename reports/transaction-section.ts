import { TRANSACTION_COUNT_NAMES } from '../harness/checker/check-types';
import type { HistoryOp } from '../harness/history/history-types';
import type { ScenarioResult } from './results-types';
import type { FaultWindow } from './timeline-charts';
import { transactionTimeline, type TransactionTimeline } from './transaction-timeline';

/** A transactional scenario's section of the report data: its transaction counts and each transaction over time. */
export interface TransactionSection {
  /** The transaction counts results.json holds (txnCommitted … abortedWritten), in the registry's order. */
  counts: Record<string, number>;
  /** The scenario's transaction settings (config.transactions), as JSON text, or null. */
  settings: string | null;
  /** Null without a history (then the counts alone are shown). */
  timeline: TransactionTimeline | null;
}

/**
 * Null for a scenario that ran no transaction: no transaction op in its history, no transaction
 * settings and every transaction count 0 (a producer or consumer scenario, or the suite's
 * non-transactional ack-loss rows).
 */
export function transactionSection(s: ScenarioResult, ops: ReadonlyArray<HistoryOp | null> | null, windows: readonly FaultWindow[]): TransactionSection | null {
  const timeline = ops ? transactionTimeline(ops, windows) : null;
  const raw = (s.counts ?? {}) as unknown as Record<string, unknown>;
  const counts: Record<string, number> = {};
  for (const name of TRANSACTION_COUNT_NAMES) if (typeof raw[name] === 'number') counts[name] = raw[name] as number;
  const config = (s.config ?? {}) as Record<string, unknown>;
  const settings = config.transactions && typeof config.transactions === 'object' ? config.transactions : null;
  if (!timeline && !settings && Object.values(counts).every((n) => n === 0)) return null;
  return { counts, settings: settings ? JSON.stringify(settings, null, 2) : null, timeline };
}
