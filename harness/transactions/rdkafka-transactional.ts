import { type DeliveryReport, type LibrdKafkaError, Producer } from 'node-rdkafka';
import { HarnessError } from '../errors';
import { assertNodeRdkafkaOwnLibrdkafka, deliveryErrorIsDefinite, describeRdkafkaError, POLL_INTERVAL_MS, rdkafkaConfig, rdkafkaErrorCode } from '../clients/rdkafka-producer';
import type { OutgoingMessage, SendOutcome } from '../clients/producer-under-test';
import { endRdkafkaTransaction, rdkafkaCall } from './librdkafka-transaction-calls';
import type { TransactionalFactory } from './transactional-producer';

/** Bootstrap plus the topic's metadata must arrive within this. @default 15000 */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * node-rdkafka (librdkafka) transactional producer. Every end call gets transaction.timeout.ms as
 * its bound (past it the coordinator aborts the transaction anyway); a commit that times out
 * answers "retriable" and the workload calls it again, as librdkafka's docs ask. Before commit and
 * abort, flush() lets every produced message reach the log and its delivery report arrive (an
 * abort would otherwise purge them unsent, and the aborted data never reach the log).
 */
export const createRdkafkaTransactional: TransactionalFactory = (bootstrap, topic, settings, transactions) => {
  assertNodeRdkafkaOwnLibrdkafka();
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
  const pending = new Map<number, { partition: number | null; troubleAtSend: number; resolve: (o: SendOutcome) => void }>();
  let nextId = 0;
  /** Errors librdkafka has reported so far: a send made at count n saw trouble since when it is above n (a count orders what a ms stamp cannot). */
  let troubleCount = 0;
  producer.on('event.error', () => troubleCount++);
  producer.on('delivery-report', (error: LibrdKafkaError | null, report: DeliveryReport) => {
    const entry = typeof report?.opaque === 'number' ? pending.get(report.opaque) : undefined;
    if (!entry) return;
    pending.delete(report.opaque as number);
    const partition = typeof report.partition === 'number' && report.partition >= 0 ? report.partition : entry.partition;
    if (!error) return entry.resolve({ ok: true, partition, offset: typeof report.offset === 'number' && report.offset >= 0 ? report.offset : null });
    const definite = deliveryErrorIsDefinite(rdkafkaErrorCode(error), settings, troubleCount > entry.troubleAtSend);
    entry.resolve({ ok: false, definite, error: describeRdkafkaError(error), partition });
  });

  const sendOne = (message: OutgoingMessage) =>
    new Promise<SendOutcome>((resolve) => {
      const id = nextId++;
      pending.set(id, { partition: message.partition, troubleAtSend: troubleCount, resolve });
      try {
        producer.produce(topic, message.partition ?? -1, message.value, message.key, Date.now(), id);
      } catch (error) {
        pending.delete(id);
        resolve({ ok: false, definite: true, error: describeRdkafkaError(error), partition: message.partition });
      }
    });
  let connected = false;

  return {
    client: 'node-rdkafka',
    async init() {
      if (!connected) {
        const connect = await rdkafkaCall((cb) => producer.connect({ topic, timeout: CONNECT_TIMEOUT_MS }, (error) => cb(error as LibrdKafkaError | null)));
        if (!connect.ok) return connect;
        connected = true;
        producer.setPollInterval(POLL_INTERVAL_MS);
      }
      return rdkafkaCall((cb) => producer.initTransactions(transactions.transactionTimeoutMs, cb));
    },
    begin: () => rdkafkaCall((cb) => producer.beginTransaction(cb)),
    send: (messages) => Promise.all(messages.map(sendOne)),
    commit: () => endRdkafkaTransaction(producer, 'commit', settings.deliveryTimeoutMs, transactions.transactionTimeoutMs),
    abort: () => endRdkafkaTransaction(producer, 'abort', settings.deliveryTimeoutMs, transactions.transactionTimeoutMs),
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
