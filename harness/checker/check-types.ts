/** Every count of DESIGN.md's checker table, of distinct seqs unless said. */
export interface Counts {
  attempted: number;
  acked: number;
  failed: number;
  indeterminate: number;
  observed: number;
  lostAcked: number;
  undelivered: number;
  deliveredDespiteError: number;
  duplicates: number;
  reordered: number;
  offsetMismatch: number;
  unexpected: number;
  /** Attempts placed on a partition led by a faulted broker while the fault was on: the fault touched the producer. */
  exposedSends: number;
  /** Invokes beyond each seq's first: the application's resends. */
  resends: number;
  /**
   * Undelivered seqs with an attempt, invoked while a fault was on, that ended without an ack on a
   * partition no fault touched: a healthy leader failed to take a send (a resend that only ever
   * went back to the cut leader does not count).
   */
  undeliveredDespiteHealthyTry: number;
  /** Transaction counts (harness/checker/transaction-checker.ts); 0 where a scenario runs no transactions. */
  txnCommitted: number;
  txnAborted: number;
  txnUnknown: number;
  committedLost: number;
  abortedRead: number;
  tornTransactions: number;
  duplicatesAcrossTransactions: number;
  abortedWritten: number;
}
export type CountName = keyof Counts;
/** The transactions checker's counts (definitions in harness/checker/transaction-checker.ts). */
export const TRANSACTION_COUNT_NAMES = [
  'txnCommitted', 'txnAborted', 'txnUnknown', 'committedLost', 'abortedRead', 'tornTransactions', 'duplicatesAcrossTransactions', 'abortedWritten',
] as const satisfies readonly CountName[];
/** Every transaction count at 0: what a scenario without transactions has. */
export const ZERO_TRANSACTION_COUNTS = Object.fromEntries(TRANSACTION_COUNT_NAMES.map((n) => [n, 0])) as Record<(typeof TRANSACTION_COUNT_NAMES)[number], number>;
export const COUNT_NAMES: readonly CountName[] = [
  'attempted', 'acked', 'failed', 'indeterminate', 'observed', 'lostAcked', 'undelivered',
  'deliveredDespiteError', 'duplicates', 'reordered', 'offsetMismatch', 'unexpected',
  'exposedSends', 'resends', 'undeliveredDespiteHealthyTry', ...TRANSACTION_COUNT_NAMES,
];
/** Counts added after schemaVersion 1 was first written: files made before them read them as 0. */
export const COUNTS_ADDED_LATER: readonly CountName[] = ['exposedSends', 'resends', 'undeliveredDespiteHealthyTry', ...TRANSACTION_COUNT_NAMES];

/** Fills counts a file written before COUNTS_ADDED_LATER existed lacks, with 0 (in place). */
export function fillLaterCounts(counts: Record<string, unknown>): void {
  for (const name of COUNTS_ADDED_LATER) if (counts[name] === undefined) counts[name] = 0;
}

export interface LatencyMs { p50: number; p95: number; p99: number; max: number }

/** `{ undelivered: 0 }` means eq 0; `{ undelivered: { gt: 0 } }` pins a measured loss. */
export type ExpectationOp = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';
export type ExpectationSpec = Partial<Record<CountName, number | Partial<Record<ExpectationOp, number>>>>;

export interface ExpectationResult {
  count: CountName;
  op: ExpectationOp;
  value: number;
  actual: number;
  pass: boolean;
}

export type Verdict = 'pass' | 'fail' | 'unknown';

/** First offenders, so a report or a matcher can name messages and not only counts. */
export interface Anomalies {
  lostAcked: number[];
  undelivered: number[];
  duplicates: number[];
  reordered: number[];
  deliveredDespiteError: number[];
  offsetMismatch: Array<{ seq: number; partition: number; offset: number }>;
  unexpected: number[];
}

export interface CheckResult {
  counts: Counts;
  latencyMs: LatencyMs;
  /** Per heal op: ms from the heal to the first ack after it (null when no ack followed). */
  timeToFirstAckAfterHealMs: Array<number | null>;
  anomalies: Anomalies;
  expectations: ExpectationResult[];
  verdict: Verdict;
  /** Set when the checker threw: the verdict is then 'unknown'. */
  error?: string;
}
