/**
 * The consumer checker's counts (DESIGN.md, "Consumer definitions"), all of records (a record is
 * one partition/offset of the topic as the verifier read it back) unless said.
 */
export interface ConsumerCounts {
  /** Records in the topic (observed). */
  records: number;
  /** Records some consumer finished processing (a process ok) at least once. */
  processed: number;
  /** Records no consumer ever finished processing. */
  unconsumed: number;
  /** Records below the group's last committed offset that no consumer processed: at most once's cost. */
  processedLost: number;
  /** Extra processings: Σ over records of (process oks − 1). At least once's cost. */
  processedTwice: number;
  /** Records an offset gap jumped over, within one consumer's assignment and partition (no rebalance between). */
  pollSkip: number;
  /** Polled offsets at or below an earlier one, within one consumer's assignment and partition. */
  nonmonotonicPoll: number;
  /** Successful commits (app or library) of a position above a record not processed by then (per partition in a commit). */
  committedBeyondProcessed: number;
  /** Assignments received, every consumer incarnation counted (the first join included). */
  rebalances: number;
  /** Revocations (or losses) of an assignment, every consumer counted: a member joining or leaving takes partitions from the others. Absent in results written before it existed. */
  revocations?: number;
  /** Successful commits, the library's own included. */
  commits: number;
  /** Commits that ended fail or info. */
  commitsFailed: number;
  /** Consumer incarnations killed (SIGKILL) by the scenario. */
  crashes: number;
  /** The longest stall of any partition, ms (see stallMsByPartition). */
  stallMsMax: number;
  /**
   * Partitions held by a client-link fault: records waiting, and none processed from the partition's
   * first assignment (or the fault's start, when later) until the fault healed. Independent of how
   * long the group join took, unlike stallMsMax. Absent in results written before it existed.
   */
  heldByLinkFault?: number;
}
export type ConsumerCountName = keyof ConsumerCounts;
export const CONSUMER_COUNT_NAMES: readonly ConsumerCountName[] = [
  'records', 'processed', 'unconsumed', 'processedLost', 'processedTwice', 'pollSkip', 'nonmonotonicPoll',
  'committedBeyondProcessed', 'rebalances', 'revocations', 'commits', 'commitsFailed', 'crashes', 'stallMsMax',
  'heldByLinkFault',
];

export interface RecordRef {
  partition: number;
  offset: number;
  seq: number | null;
}

/** First offenders of each kind, smallest partition/offset first. */
export interface ConsumerAnomalies {
  processedLost: RecordRef[];
  processedTwice: RecordRef[];
  unconsumed: RecordRef[];
  pollSkip: Array<{ consumer: string; partition: number; fromOffset: number; toOffset: number }>;
  nonmonotonicPoll: Array<{ consumer: string; partition: number; fromOffset: number; toOffset: number }>;
}

export interface ConsumerCheckResult {
  counts: ConsumerCounts;
  /**
   * Per partition: the longest time with records left to process and no new record processed,
   * from the partition's first assignment (joining the group is not a stall; the first consumer's
   * start when it was never assigned) to the end of the history, not counting time while a broker
   * process fault (kill, stop, pause, restart) was on: the cluster was healthy for all of it.
   */
  stallMsByPartition: Record<string, number>;
  /** The group's committed position per partition the checker used (the harness's read after the run, else the last commit). */
  committed: Record<string, number>;
  anomalies: ConsumerAnomalies;
}

/** `{ processedLost: 0 }` means eq 0; `{ processedTwice: { gt: 0 } }` pins a measured cost. */
export type ConsumerExpectationSpec = Partial<Record<ConsumerCountName, number | Partial<Record<'eq' | 'lt' | 'lte' | 'gt' | 'gte', number>>>>;

export interface ConsumerExpectationResult {
  count: ConsumerCountName;
  op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte';
  value: number;
  actual: number;
  pass: boolean;
}
