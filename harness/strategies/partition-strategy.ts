import { SendOutcome } from '../clients/producer-under-test';

export const STRATEGY_NAMES = ['round-robin', 'hashing', 'manual'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
export const MODE_NAMES = ['library-only', 'workaround', 'resilient'] as const;
export type ModeName = (typeof MODE_NAMES)[number];

/** Where one attempt of a message goes: the key it carries and the partition the app asks for. */
export interface Placement {
  key: string | null;
  /** null lets the client's partitioner choose. */
  partition: number | null;
}

/** Bounds on the seed's application-level workaround. */
export interface WorkaroundSettings {
  /** Attempts per message, the first included. @default 8 */
  maxAttempts: number;
  /** No new attempt once this long has passed since the first one. @default 25000 */
  deadlineMs: number;
  /** manual strategy: how long a failing partition's leader is avoided. @default 30000 */
  avoidLeaderMs: number;
}

export const DEFAULT_WORKAROUND: WorkaroundSettings = { maxAttempts: 8, deadlineMs: 25_000, avoidLeaderMs: 30_000 };

/** What the app knows of the cluster: how many partitions and who leads each. */
export interface TopicView {
  partitions: number;
  leaderOf(partition: number): number | undefined;
}

/**
 * How an app places messages, and (in workaround mode) what it does after a failed attempt.
 * `retry` returns the next placement, or undefined to give up.
 */
export interface PartitionStrategy {
  readonly name: StrategyName;
  readonly mode: ModeName;
  first(seq: number): Placement;
  retry(seq: number, attempt: number, failed: Placement, outcome: Extract<SendOutcome, { ok: false }>): Placement | undefined;
}
