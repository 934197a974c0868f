import { type DeliveryReport, type LibrdKafkaError, Producer } from 'node-rdkafka';
import { HarnessError } from '../errors';
import { deliveryErrorIsDefinite, describeRdkafkaError, POLL_INTERVAL_MS, rdkafkaConfig, rdkafkaErrorCode } from '../clients/rdkafka-producer';
import type { OutgoingMessage, SendOutcome } from '../clients/producer-under-test';
import type { CallOutcome, TransactionalFactory } from './transactional-producer';

/** Bootstrap plus the topic's metadata must arrive within this. @default 15000 */
const CONNECT_TIMEOUT_MS = 15_000;

function outcome(error: LibrdKafkaError | null | undefined): CallOutcome {
  if (!error) return { ok: true };
  return {
    ok: false,
    error: describeRdkafkaError(error),
    retriable: error.isRetriable === true,
    abortable: error.isTxnRequiresAbort === true,
    fatal: error.isFatal === true,
  };
}

/** A node-rdkafka call that throws synchronously (wrong state) answers like one that calls back with an error. */
function call(run: (cb: (error: LibrdKafkaError | null) => void) => void): Promise<CallOutcome> {
  return new Promise((resolve) => {
    try {
      run((error) => resolve(outcome(error)));
    } catch (error) {
      resolve({ ok: false, error: describeRdkafkaError(error), retriable: false, abortable: false, fatal: true });
    }
  });
}

/**
 * node-rdkafka (librdkafka) transactional producer. Every end call gets transaction.timeout.ms as
 * its bound (past it the coordinator aborts the transaction anyway); a commit that times out
 * answers "retriable" and the workload calls it again, as librdkafka's docs ask. Before commit and
 * abort, flush() lets every produced message reach the log and its delivery report arrive (an
 * abort would otherwise purge them unsent, and the aborted data never reach the log).
 */
export const createRdkafkaTransactional: TransactionalFactory = (bootstrap, topic, settings, transactions) => {
  const [globalConfig, topicConfig] = rdkafkaConfig(bootstrap, { ...settings, idempotent: true, acks: 'all' });
  let producer: Producer;
  try {
    producer = new Producer(
      { ...globalConfig, 'client.id': 'kchaos-rdkafka-txn', 'transactional.id': transactions.transactionalId, 'transaction.timeout.ms': transactions.transactionTimeoutMs, dr_cb: true },
      topicConfig,
    );
  } catch (error) {
    throw new HarnessError(`node-rdkafka refused the transactional producer configuration: ${(error as Error).message}`, {
      cause: error,
      hint: 'deliveryTimeoutMs (message.timeout.ms) must not exceed transactions.transactionTimeoutMs',
    });
  }
  const pending = new Map<number, { partition: number | null; producedAtMs: number; resolve: (o: SendOutcome) => void }>();
  let nextId = 0;
  let lastTroubleAtMs = -Infinity;
  producer.on('event.error', () => (lastTroubleAtMs = Date.now()));
  producer.on('delivery-report', (error: LibrdKafkaError | null, report: DeliveryReport) => {
    const entry = typeof report?.opaque === 'number' ? pending.get(report.opaque) : undefined;
    if (!entry) return;
    pending.delete(report.opaque as number);
    const partition = typeof report.partition === 'number' && report.partition >= 0 ? report.partition : entry.partition;
    if (!error) return entry.resolve({ ok: true, partition, offset: typeof report.offset === 'number' && report.offset >= 0 ? report.offset : null });
    const definite = deliveryErrorIsDefinite(rdkafkaErrorCode(error), settings, lastTroubleAtMs >= entry.producedAtMs);
    entry.resolve({ ok: false, definite, error: describeRdkafkaError(error), partition });
  });

  const sendOne = (message: OutgoingMessage) =>
    new Promise<SendOutcome>((resolve) => {
      const id = nextId++;
      pending.set(id, { partition: message.partition, producedAtMs: Date.now(), resolve });
      try {
        producer.produce(topic, message.partition ?? -1, message.value, message.key, Date.now(), id);
      } catch (error) {
        pending.delete(id);
        resolve({ ok: false, definite: true, error: describeRdkafkaError(error), partition: message.partition });
      }
    });
  // message.timeout.ms bounds each message's stay in the queue: flush cannot usefully wait longer.
  const flushed = () => new Promise<void>((resolve) => producer.flush(settings.deliveryTimeoutMs, () => resolve()));
  let connected = false;

  return {
    client: 'node-rdkafka',
    async init() {
      if (!connected) {
        const connect = await call((cb) => producer.connect({ topic, timeout: CONNECT_TIMEOUT_MS }, (error) => cb(error as LibrdKafkaError | null)));
        if (!connect.ok) return connect;
        connected = true;
        producer.setPollInterval(POLL_INTERVAL_MS);
      }
      return call((cb) => producer.initTransactions(transactions.transactionTimeoutMs, cb));
    },
    begin: () => call((cb) => producer.beginTransaction(cb)),
    send: (messages) => Promise.all(messages.map(sendOne)),
    async commit() {
      await flushed();
      return call((cb) => producer.commitTransaction(transactions.transactionTimeoutMs, cb));
    },
    async abort() {
      await flushed();
      return call((cb) => producer.abortTransaction(transactions.transactionTimeoutMs, cb));
    },
    async close(timeoutMs) {
      if (connected) {
        await Promise.race([new Promise<void>((resolve) => producer.disconnect(timeoutMs, () => resolve())), new Promise((r) => setTimeout(r, timeoutMs + 2_000))]);
        connected = false;
      }
      for (const [id, entry] of [...pending]) {
        pending.delete(id);
        entry.resolve({ ok: false, definite: false, error: 'closed before a delivery report', partition: entry.partition });
      }
    },
  };
};
