import type { TransactionOpFunction } from '../transactions/transaction-ops';

/** The process name of fault ops (inject / heal) in every history. */
export const NEMESIS_PROCESS = 'nemesis';

/** One line of history.jsonl (DESIGN.md, Contracts). */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
export type OpFunction = 'send' | 'inject' | 'heal' | ConsumerOpFunction | TransactionOpFunction;

/**
 * Consumer ops (the consumer room, harness/consumers/): process = the consumer incarnation ("c1",
 * "c2" after a restart; "m2" a second member). start / crash / leave (a member's graceful close) / freeze / thaw (SIGSTOP / SIGCONT of its process) / assign / revoke are `info` events; poll, process and commit
 * are invoke → ok | fail | info; committed is the harness's read of the group's committed offsets
 * after the run (process "harness").
 */
export type ConsumerOpFunction = 'start' | 'crash' | 'assign' | 'revoke' | 'poll' | 'process' | 'commit' | 'committed' | 'leave' | 'freeze' | 'thaw';
export const CONSUMER_OP_FUNCTIONS: readonly ConsumerOpFunction[] = ['start', 'crash', 'assign', 'revoke', 'poll', 'process', 'commit', 'committed', 'leave', 'freeze', 'thaw'];

/** Every value of a consumer op names its consumer and that consumer's assignment epoch (1 = its first assignment; 0 = none yet). */
export interface ConsumerOpBase {
  consumer: string;
  assignment: number;
}
/** assign / revoke: the partitions, and the group generation when the client tells it (else null). */
export interface RebalanceValue extends ConsumerOpBase {
  partitions: number[];
  generation: number | null;
}
/** poll ok: the records handed to the application, in the order given. */
export interface PollValue extends ConsumerOpBase {
  records?: Array<{ partition: number; offset: number; seq: number | null }>;
}
/** process invoke / ok: one record. */
export interface ProcessValue extends ConsumerOpBase {
  partition: number;
  offset: number;
  seq: number | null;
}
/** commit: Kafka's next-offset positions; auto when the library committed on its own; error on fail / info. */
export interface CommitValue extends ConsumerOpBase {
  id: number;
  auto: boolean;
  offsets: Array<{ partition: number; offset: number }>;
  error?: string;
}
/** committed: the group's committed offsets as the broker held them after the run (null: none). */
export interface CommittedValue {
  group: string;
  offsets: Array<{ partition: number; offset: number | null }>;
}

export interface SendInvokeValue {
  seq: number;
  key: string | null;
  /** The partition the app asked for; null when the client's partitioner chooses. */
  partition: number | null;
  /** 1 for the first send of a seq, 2+ for the workaround's resends. */
  attempt?: number;
}
export interface SendOkValue {
  seq: number;
  /** null when the client did not say where the record went. */
  partition: number | null;
  /** null when unknown (acks=0 returns no offset). Archived histories may hold -1: read as null. */
  offset: number | null;
  /** The attempt this completes (the invoke's `attempt`); absent in histories before it was written. */
  attempt?: number;
}
export interface SendFailValue {
  seq: number;
  attempt?: number;
  /** Every partition the client placed this attempt on, in order, when it re-partitions on retry (kafkajs). */
  tried?: number[];
  partition?: number | null;
  error: string;
  /** Broker id that led the partition when the send was made, when known. */
  leader?: number | null;
}
export interface FaultValue {
  fault: string;
  target: string;
  [detail: string]: unknown;
}

export interface HistoryOp {
  index: number;
  /** Milliseconds since the scenario started. */
  timeMs: number;
  /** "p1" for the producer under test, "nemesis" for faults. */
  process: string;
  type: OpType;
  f: OpFunction;
  value: SendInvokeValue | SendOkValue | SendFailValue | FaultValue | Record<string, unknown>;
  /**
   * On a completion only: it arrived after the harness had settled its attempt as `info` (the drain
   * deadline, or the scenario's application deadline). The client's own outcome supersedes that info.
   */
  late?: true;
}

/** One line of observed.jsonl: a record read back over the DIRECT listener. */
export interface ObservedRecord {
  partition: number;
  offset: number;
  /** null when the record's value had no parsable seq. */
  seq: number | null;
  key: string | null;
}
