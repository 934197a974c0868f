import type { OpType } from '../history/history-types';
import { transactionKey, type TransactionOpFunction, type TransactionOpValue } from './transaction-ops';
import type { CallOutcome } from './transactional-producer';

/** One input record as the copier's consumer handed it over (read_committed). */
export interface InputRecord {
  partition: number;
  offset: number;
  /** The harness's seq in the value; null when the value had none (copied anyway, the checker names it). */
  seq: number | null;
  value: Buffer;
}

/** One output record: the input's value, key naming the copier's transaction and the input's seq, the input's partition. */
export interface OutputRecord {
  partition: number;
  key: string;
  value: Buffer;
}

/** One client's consumer + transactional producer, as the copy loop uses them. No method rejects: outcomes are values. */
export interface CopierClient {
  /** Connects both, InitProducerId for the transactional id (fences an earlier instance), assigns the input partitions. */
  init(): Promise<CallOutcome>;
  /** Hands batches of up to `max` records to `onBatch`, one at a time, until close(); rejects with onBatch's error. */
  consume(max: number, onBatch: (records: InputRecord[]) => Promise<void>): Promise<void>;
  begin(): Promise<CallOutcome>;
  /** Produces inside the transaction; ok once every record's delivery is confirmed. */
  send(records: OutputRecord[]): Promise<CallOutcome>;
  /** sendOffsetsToTransaction: the consumer's positions (next offset per input partition) join the transaction. */
  sendOffsets(offsets: Array<{ partition: number; offset: number }>): Promise<CallOutcome>;
  commit(): Promise<CallOutcome>;
  abort(): Promise<CallOutcome>;
  close(timeoutMs: number): Promise<void>;
}

export interface CopyLoopOptions {
  commitEvery: number;
  pauseMs: number;
  /** This incarnation's first transaction number: incarnations never share one (their keys tell them apart). */
  txnBase: number;
  transactionalId: string;
}

export type OpSink = (type: OpType, f: TransactionOpFunction, value: TransactionOpValue) => void;

/** The copy loop gave up on this instance: the process exits and a new instance (same transactional.id) takes over. */
export class CopierStopped extends Error {}

/** initTransactions that fails is called again up to this many times, this far apart (as the transactional workload). */
const INIT_CALLS = 5;
const INIT_RETRY_PAUSE_MS = 1_000;
/** A commit the client calls retriable (librdkafka: timed out) is called again up to this many times in all. @default 3 */
const COMMIT_CALLS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Next offset per partition after `records`: what the transaction's offsets say was consumed. */
export function positionsAfter(records: readonly InputRecord[]): Array<{ partition: number; offset: number }> {
  const next = new Map<number, number>();
  for (const r of records) next.set(r.partition, Math.max(next.get(r.partition) ?? 0, r.offset + 1));
  return [...next].sort(([a], [b]) => a - b).map(([partition, offset]) => ({ partition, offset }));
}

/**
 * Initialises the copier, calls `ready`, then copies: per batch of up to commitEvery records,
 * begin, produce each record (transformed: its key names this transaction and the seq), send the
 * consumer's positions to the transaction, commit. Any failure: abort when the client allows,
 * then CopierStopped — the application's recovery is a new instance with the same transactional.id,
 * which reads the group's committed positions (kafkatest's copier rewinds instead; a new process
 * is the same promise and needs no seek). Every call and its outcome goes to `op`.
 */
export async function runCopyLoop(client: CopierClient, options: CopyLoopOptions, op: OpSink, ready: () => void): Promise<void> {
  const timed = async (f: TransactionOpFunction, value: TransactionOpValue, run: () => Promise<CallOutcome>, invokeValue: TransactionOpValue = value) => {
    op('invoke', f, invokeValue);
    const outcome = await run();
    if (outcome.ok) op('ok', f, value);
    // An end call that failed may still have taken effect (a lost EndTxn answer): info, never guessed.
    else op(f === 'txn-commit' || f === 'txn-abort' ? 'info' : 'fail', f, { ...value, error: outcome.error, fatal: outcome.fatal || undefined });
    return outcome;
  };
  let initialised = false;
  for (let call = 1; call <= INIT_CALLS && !initialised; call++) {
    const outcome = await timed('txn-init', { transactionalId: options.transactionalId }, () => client.init());
    if (outcome.ok) initialised = true;
    else if (outcome.fatal) throw new CopierStopped(`init failed fatally: ${outcome.error}`);
    else await sleep(INIT_RETRY_PAUSE_MS);
  }
  if (!initialised) throw new CopierStopped(`init failed ${INIT_CALLS} times`);
  ready();
  let txn = options.txnBase;
  await client.consume(options.commitEvery, async (records) => {
    const id = txn++;
    const seqs = records.map((r) => r.seq).filter((s): s is number => s !== null);
    const abortAndStop = async (why: NonNullable<TransactionOpValue['why']>, error: string) => {
      await timed('txn-abort', { txn: id }, () => client.abort(), { txn: id, seqs, why, error });
      throw new CopierStopped(`transaction ${id}: ${why}: ${error}`);
    };
    const begin = await timed('txn-begin', { txn: id }, () => client.begin());
    if (!begin.ok) throw new CopierStopped(`transaction ${id}: begin failed: ${begin.error}`);
    const sent = await client.send(records.map((r) => ({ partition: r.partition, key: transactionKey(id, r.seq ?? -1), value: r.value })));
    if (!sent.ok) await abortAndStop('send-failed', sent.error);
    const offsets = positionsAfter(records);
    const offered = await client.sendOffsets(offsets);
    if (!offered.ok) await abortAndStop('offsets-failed', offered.error);
    for (let call = 1; call <= COMMIT_CALLS; call++) {
      const commit = await timed('txn-commit', { txn: id }, () => client.commit(), { txn: id, seqs, offsets });
      if (commit.ok) break;
      if (commit.retriable && call < COMMIT_CALLS) continue;
      if (commit.abortable) await abortAndStop('commit-failed', commit.error);
      throw new CopierStopped(`transaction ${id}: commit not confirmed: ${commit.error}`);
    }
    await sleep(options.pauseMs);
  });
}
