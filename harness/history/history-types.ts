import type { TransactionOpFunction } from '../transactions/transaction-ops';

/** The process name of fault ops (inject / heal) in every history. */
export const NEMESIS_PROCESS = 'nemesis';

/** One line of history.jsonl (DESIGN.md, Contracts). */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
export type OpFunction = 'send' | 'inject' | 'heal' | TransactionOpFunction;

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
