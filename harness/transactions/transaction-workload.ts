import type { OutgoingMessage, SendOutcome } from '../clients/producer-under-test';
import type { HistoryRecorder } from '../history/history-recorder';
import { encodeValue, PRODUCER_PROCESS } from '../workload/workload';
import { transactionKey, type TransactionOpFunction, type TransactionOpValue } from './transaction-ops';
import { abortedOnPurpose, type TransactionSettings } from './transaction-settings';
import type { CallOutcome, TransactionalProducer } from './transactional-producer';

/** A commit the client calls retriable (librdkafka: timed out) is called again up to this many times in all. @default 3 */
const COMMIT_CALLS = 3;
/** initTransactions that fails (coordinator unreachable) is called again up to this many times in all, this far apart. */
const INIT_CALLS = 5;
const INIT_RETRY_PAUSE_MS = 1_000;

export interface TransactionWorkloadOptions {
  partitions: number;
  payloadBytes: number;
  /** A fresh producer with the same transactional.id, after a fatal error (fenced). */
  createProducer: () => TransactionalProducer;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The transactional workload: init, then per transaction begin, send its messages (seq % partitions,
 * key tx<txn>:<seq>), and commit — or abort, on purpose (the abort share), or because a send
 * failed. A commit not confirmed is aborted when the client allows, and its seqs are sent again in
 * a new transaction (up to maxAttempts): what an application wanting exactly once does, and where
 * a commit that did land shows up as duplicatesAcrossTransactions. Every call and its outcome is
 * recorded; every wait is the client's own.
 * @returns the producer in use at the end (it may have been replaced after a fatal error).
 */
export async function runTransactionWorkload(first: TransactionalProducer, recorder: HistoryRecorder, settings: TransactionSettings, options: TransactionWorkloadOptions): Promise<TransactionalProducer> {
  let producer = first;
  let txn = 0;
  let seq = 0;
  const record = (type: 'invoke' | 'ok' | 'fail' | 'info', f: TransactionOpFunction, value: TransactionOpValue) => recorder.record(PRODUCER_PROCESS, type, f, value);
  /** A call's outcome as an op: fail when the client says it did not happen, info when it may have. */
  const recordOutcome = (f: TransactionOpFunction, value: TransactionOpValue, outcome: CallOutcome) => {
    if (outcome.ok) return record('ok', f, value);
    // An end call that failed may still have taken effect (a lost EndTxn answer): info, never guessed.
    const type = f === 'txn-commit' || f === 'txn-abort' ? 'info' : 'fail';
    return record(type, f, { ...value, error: outcome.error, fatal: outcome.fatal || undefined });
  };
  const timed = async (f: TransactionOpFunction, value: TransactionOpValue, run: () => Promise<CallOutcome>, invokeValue: TransactionOpValue = value) => {
    record('invoke', f, invokeValue);
    const outcome = await run();
    recordOutcome(f, value, outcome);
    return outcome;
  };

  const init = async (): Promise<boolean> => {
    for (let call = 1; call <= INIT_CALLS; call++) {
      const outcome = await timed('txn-init', { transactionalId: settings.transactionalId }, () => producer.init());
      if (outcome.ok) return true;
      if (outcome.fatal) producer = await replaced(producer);
      await sleep(INIT_RETRY_PAUSE_MS);
    }
    return false;
  };
  const replaced = async (old: TransactionalProducer) => {
    await old.close(2_000);
    return options.createProducer();
  };
  /** After a fatal error the instance is replaced; its InitProducerId aborts what the old one left open. */
  const recover = async (): Promise<boolean> => {
    producer = await replaced(producer);
    return init();
  };

  if (!(await init())) return producer;
  const queue: Array<{ seqs: number[]; attempt: number; onPurpose: boolean }> = [];
  for (let index = 0; index < settings.transactions; index++) {
    const seqs = Array.from({ length: settings.messagesPerTransaction }, () => seq++);
    queue.push({ seqs, attempt: 1, onPurpose: abortedOnPurpose(index, settings.abortShare) });
  }

  while (queue.length > 0) {
    const planned = queue.shift()!;
    const id = txn++;
    const begin = await timed('txn-begin', { txn: id }, () => producer.begin());
    if (!begin.ok) {
      if (!(await recover())) return producer;
      queue.unshift(planned); // nothing was sent: the same seqs in the next transaction
      continue;
    }
    const messages: OutgoingMessage[] = planned.seqs.map((s) => ({
      seq: s,
      key: transactionKey(id, s),
      partition: s % options.partitions,
      value: encodeValue(s, planned.attempt, options.payloadBytes),
    }));
    for (const m of messages) recorder.record(PRODUCER_PROCESS, 'invoke', 'send', { seq: m.seq, key: m.key, partition: m.partition, attempt: planned.attempt, txn: id });
    const outcomes: SendOutcome[] = await producer.send(messages);
    outcomes.forEach((o, i) => {
      const base = { seq: messages[i].seq, attempt: planned.attempt, txn: id };
      if (o.ok) recorder.record(PRODUCER_PROCESS, 'ok', 'send', { ...base, partition: o.partition, offset: o.offset });
      else recorder.record(PRODUCER_PROCESS, o.definite ? 'fail' : 'info', 'send', { ...base, partition: o.partition, error: o.error });
    });

    const sendFailed = outcomes.some((o) => !o.ok);
    let committed = false;
    let needsAbort: TransactionOpValue['why'] | undefined = planned.onPurpose ? 'on-purpose' : sendFailed ? 'send-failed' : undefined;
    let fatal = false;
    if (!needsAbort) {
      for (let call = 1; call <= COMMIT_CALLS; call++) {
        const commit = await timed('txn-commit', { txn: id }, () => producer.commit(), { txn: id, seqs: planned.seqs });
        if (commit.ok) {
          committed = true;
          break;
        }
        fatal = commit.fatal;
        if (!commit.retriable) {
          if (commit.abortable) needsAbort = 'commit-failed';
          break;
        }
      }
      // Retried to the end and still not confirmed: abort it if the client allows.
      if (!committed && !needsAbort && !fatal) needsAbort = 'commit-failed';
    }
    if (needsAbort) {
      const abort = await timed('txn-abort', { txn: id }, () => producer.abort(), { txn: id, seqs: planned.seqs, why: needsAbort });
      if (!abort.ok) fatal = true;
    }
    if (fatal && !(await recover())) return producer;
    if (!committed && !planned.onPurpose && planned.attempt < settings.maxAttempts) {
      queue.unshift({ ...planned, attempt: planned.attempt + 1 });
    }
    await sleep(settings.pauseMs);
  }
  return producer;
}
