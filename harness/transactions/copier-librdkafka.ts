import type { KafkaConsumer, LibrdKafkaError, Message, Producer } from 'node-rdkafka';
import type { ProducerSettings } from '../clients/producer-under-test';
import { describeRdkafkaError, POLL_INTERVAL_MS, rdkafkaConfig } from '../clients/rdkafka-producer';
import { parseSeq } from '../verify/verifier';
import type { CopierClient, InputRecord } from './copier-loop';
import { endRdkafkaTransaction, rdkafkaCall, rdkafkaCallOutcome } from './librdkafka-transaction-calls';

/** What a librdkafka copier needs to know; the child receives it as JSON. */
export interface CopierClientConfig {
  bootstrap: string;
  inputTopic: string;
  outputTopic: string;
  partitions: number;
  groupId: string;
  transactionalId: string;
  transactionTimeoutMs: number;
  producer: ProducerSettings;
}

/** The two packages with node-rdkafka's API: node-rdkafka itself, and Confluent's client (its root exports the same classes). */
type RdkafkaModule = { KafkaConsumer: typeof KafkaConsumer; Producer: typeof Producer };

/** Bootstrap plus metadata for connect(). @default 15000 */
const CONNECT_TIMEOUT_MS = 15_000;
/** How long one consume() waits for records before the loop asks again. @default 200 */
const CONSUME_WAIT_MS = 200;

/**
 * KCHAOS_COPIER_CONSUMER_DEBUG=cgrp,protocol: librdkafka's `debug` contexts for the copier's
 * consumer, its lines written to the copier's log (stderr). Off by default; set to catch the
 * fresh-cluster stall (docs/transactions.md) in the act.
 */
export const CONSUMER_DEBUG_ENV = 'KCHAOS_COPIER_CONSUMER_DEBUG';

export function consumerDebugContexts(raw = process.env[CONSUMER_DEBUG_ENV]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^[a-z]+(,[a-z]+)*$/.test(raw)) throw new Error(`${CONSUMER_DEBUG_ENV}=${JSON.stringify(raw)} is not a comma-separated list of librdkafka debug contexts (e.g. cgrp,protocol)`);
  return raw;
}

/**
 * A copier on librdkafka: a KafkaConsumer (read_committed, no auto commit) assigned every input
 * partition — no subscribe, so a new instance starts at once from the group's committed positions
 * (librdkafka's default start when assign() names no offset), no rebalance to wait for; the group
 * id only names where sendOffsetsToTransaction commits — and a transactional Producer. Every end
 * call gets transaction.timeout.ms as its bound, as the transactional producer here.
 */
export function createLibrdkafkaCopier(module: RdkafkaModule, clientName: string, config: CopierClientConfig): CopierClient {
  const debug = consumerDebugContexts();
  const [globalConfig, topicConfig] = rdkafkaConfig(config.bootstrap, { ...config.producer, idempotent: true, acks: 'all' });
  const producer = new module.Producer(
    { ...globalConfig, 'client.id': `kchaos-copier-${clientName}`, 'transactional.id': config.transactionalId, 'transaction.timeout.ms': config.transactionTimeoutMs, dr_cb: true },
    topicConfig,
  );
  const consumer = new module.KafkaConsumer(
    {
      'metadata.broker.list': config.bootstrap,
      'client.id': `kchaos-copier-${clientName}-in`,
      'group.id': config.groupId,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'isolation.level': 'read_committed',
      'socket.connection.setup.timeout.ms': Math.max(1_000, config.producer.requestTimeoutMs),
      ...(debug ? { debug } : {}),
    },
    { 'auto.offset.reset': 'earliest' },
  );
  if (debug) consumer.on('event.log', (log: { fac: string; message: string }) => process.stderr.write(`${new Date().toISOString()} rdkafka ${log.fac} ${log.message}\n`));
  const pending = new Map<number, (error: LibrdKafkaError | null) => void>();
  let nextId = 0;
  producer.on('delivery-report', (error: LibrdKafkaError | null, report: { opaque?: unknown }) => {
    const done = typeof report?.opaque === 'number' ? pending.get(report.opaque) : undefined;
    if (!done) return;
    pending.delete(report.opaque as number);
    done(error);
  });
  // message.timeout.ms bounds each message's stay in the queue: flush cannot usefully wait longer.
  const flushed = () => new Promise<void>((resolve) => producer.flush(config.producer.deliveryTimeoutMs, () => resolve()));
  let closed = false;
  // librdkafka retries a consumer's transient errors itself (a fresh cluster's group coordinator
  // answering NOT_COORDINATOR, seen in the first smoke run): only a fatal one stops the copier.
  // Each distinct one goes to the copier's log (stderr), so a stalled copy shows what it met.
  const seenErrors = new Set<string>();
  const noted = (error: LibrdKafkaError) => {
    const text = describeRdkafkaError(error);
    if (!seenErrors.has(text)) process.stderr.write(`${new Date().toISOString()} consumer error (${seenErrors.add(text).size} distinct so far): ${text}\n`);
  };
  consumer.on('event.error', (error) => noted(error as LibrdKafkaError));
  const consumeOnce = (max: number) =>
    new Promise<Message[]>((resolve, reject) =>
      consumer.consume(max, (error, messages) => {
        if (error) noted(error as LibrdKafkaError);
        return error && (error as LibrdKafkaError).isFatal ? reject(error) : resolve(error ? [] : (messages ?? []));
      }),
    );

  return {
    async init() {
      const connected = await rdkafkaCall((cb) => producer.connect({ topic: config.outputTopic, timeout: CONNECT_TIMEOUT_MS }, (e) => cb(e as LibrdKafkaError | null)));
      if (!connected.ok) return connected;
      producer.setPollInterval(POLL_INTERVAL_MS);
      const initialised = await rdkafkaCall((cb) => producer.initTransactions(config.transactionTimeoutMs, cb));
      if (!initialised.ok) return initialised;
      const consumerUp = await rdkafkaCall((cb) => consumer.connect({ topic: config.inputTopic, timeout: CONNECT_TIMEOUT_MS }, (e) => cb(e as LibrdKafkaError | null)));
      if (!consumerUp.ok) return { ...consumerUp, fatal: true }; // a consumer that did not connect is not retried in place
      consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);
      consumer.assign(Array.from({ length: config.partitions }, (_, partition) => ({ topic: config.inputTopic, partition })));
      return { ok: true };
    },
    async consume(max, onBatch) {
      while (!closed) {
        const messages = await consumeOnce(max);
        if (closed) break;
        if (messages.length === 0) {
          await new Promise((r) => setTimeout(r, 50)); // an error answered at once must not spin
          continue;
        }
        const records: InputRecord[] = messages.map((m) => ({ partition: m.partition, offset: m.offset, seq: parseSeq(m.value), value: m.value ?? Buffer.alloc(0) }));
        await onBatch(records);
      }
    },
    begin: () => rdkafkaCall((cb) => producer.beginTransaction(cb)),
    async send(records) {
      const reports = records.map(
        (r) =>
          new Promise<LibrdKafkaError | null>((resolve) => {
            const id = nextId++;
            pending.set(id, resolve);
            try {
              producer.produce(config.outputTopic, r.partition, r.value, r.key, Date.now(), id);
            } catch (error) {
              pending.delete(id);
              resolve(error as LibrdKafkaError);
            }
          }),
      );
      await flushed();
      const errors = (await Promise.race([Promise.all(reports), new Promise<null>((r) => setTimeout(() => r(null), config.producer.deliveryTimeoutMs + 2_000))])) ?? [{ message: 'no delivery report' } as LibrdKafkaError];
      const failed = errors.find((e) => e !== null);
      return failed ? rdkafkaCallOutcome(failed) : { ok: true };
    },
    sendOffsets: (offsets) =>
      rdkafkaCall((cb) => producer.sendOffsetsToTransaction(offsets.map((o) => ({ topic: config.inputTopic, ...o })), consumer, config.transactionTimeoutMs, cb)),
    commit: () => endRdkafkaTransaction(producer, 'commit', config.producer.deliveryTimeoutMs, config.transactionTimeoutMs),
    abort: () => endRdkafkaTransaction(producer, 'abort', config.producer.deliveryTimeoutMs, config.transactionTimeoutMs),
    async close(timeoutMs) {
      closed = true;
      const bounded = (run: (done: () => void) => void) => Promise.race([new Promise<void>((resolve) => run(resolve)), new Promise((r) => setTimeout(r, timeoutMs))]);
      await bounded((done) => consumer.disconnect(() => done()));
      await bounded((done) => producer.disconnect(timeoutMs, () => done()));
    },
  };
}
