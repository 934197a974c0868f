import type { LibrdKafkaError, Producer } from 'node-rdkafka';
import { describeRdkafkaError } from '../clients/rdkafka-producer';
import type { CallOutcome } from './transactional-producer';

/** librdkafka's answer to a transactional call, as a CallOutcome (its own retriable / abortable / fatal flags). */
export function rdkafkaCallOutcome(error: LibrdKafkaError | null | undefined): CallOutcome {
  if (!error) return { ok: true };
  return { ok: false, error: describeRdkafkaError(error), retriable: error.isRetriable === true, abortable: error.isTxnRequiresAbort === true, fatal: error.isFatal === true };
}

/** A node-rdkafka call that throws synchronously (wrong state) answers like one that calls back with an error. */
export function rdkafkaCall(run: (cb: (error: LibrdKafkaError | null) => void) => void): Promise<CallOutcome> {
  return new Promise((resolve) => {
    try {
      run((error) => resolve(rdkafkaCallOutcome(error)));
    } catch (error) {
      resolve({ ok: false, error: describeRdkafkaError(error), retriable: false, abortable: false, fatal: true });
    }
  });
}

/**
 * Commit or abort, flush first: every produced message reaches the log and its delivery report
 * arrives (an abort would otherwise purge them unsent, and the aborted data never reach the log).
 * flush waits at most flushMs (message.timeout.ms bounds each message's stay in the queue, so
 * longer is no use); the end call gets transaction.timeout.ms (past it the coordinator aborts anyway).
 */
export async function endRdkafkaTransaction(producer: Producer, end: 'commit' | 'abort', flushMs: number, transactionTimeoutMs: number): Promise<CallOutcome> {
  await new Promise<void>((resolve) => producer.flush(flushMs, () => resolve()));
  return rdkafkaCall((cb) => (end === 'commit' ? producer.commitTransaction(transactionTimeoutMs, cb) : producer.abortTransaction(transactionTimeoutMs, cb)));
}
