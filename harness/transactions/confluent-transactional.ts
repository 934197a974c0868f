import { HarnessError } from '../errors';
import { CONFLUENT_PACKAGE, confluentConfig, describeConfluentError, failureOutcome, loadConfluent, offsetOf, TroubleLog } from '../clients/confluent-producer';
import type { OutgoingMessage, SendOutcome } from '../clients/producer-under-test';
import { callOutcome, type CallOutcome, type TransactionalFactory } from './transactional-producer';

/** The few shapes of the package's KafkaJS-compatible transactional producer used here (its types are not imported: optional dependency). */
interface ConfluentTransactionalProducer {
  connect(): Promise<void>;
  transaction(): Promise<unknown>;
  send(record: { topic: string; messages: Array<{ key: string | null; value: Buffer; partition?: number }> }): Promise<Array<{ partition: number; baseOffset?: string | null }>>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  flush(args: { timeout: number }): Promise<void>;
  disconnect(): Promise<void>;
}

/** The package's errors carry librdkafka's transactional flags (retriable / abortable / fatal). */
export function confluentCallFailure(error: unknown): CallOutcome {
  const flags = (error ?? {}) as { retriable?: unknown; abortable?: unknown; fatal?: unknown };
  return { ok: false, error: describeConfluentError(error), retriable: flags.retriable === true, abortable: flags.abortable === true, fatal: flags.fatal === true };
}

const call = (run: () => Promise<unknown>) => callOutcome(run, confluentCallFailure);

/**
 * Confluent's JavaScript client as a transactional producer, through its KafkaJS-compatible API:
 * `transactionalId` in the producer's kafkaJS block, connect() (it runs initTransactions),
 * `transaction()` = begin, each message its own `send()` inside it (so each message gets its own
 * outcome, as the plain Confluent producer here), `commit()` / `abort()`. The package bounds
 * initTransactions, commit and abort by its own fixed 5 s; librdkafka decides every outcome.
 */
export const createConfluentTransactional: TransactionalFactory = (bootstrap, topic, settings, transactions) => {
  const { KafkaJS } = loadConfluent();
  const trouble = new TroubleLog();
  const config = confluentConfig(bootstrap, { ...settings, idempotent: true, acks: 'all' }, trouble);
  const kafkaJS = { ...(config.producer.kafkaJS as Record<string, unknown>), transactionalId: transactions.transactionalId, transactionTimeout: transactions.transactionTimeoutMs };
  let producer: ConfluentTransactionalProducer;
  try {
    producer = new KafkaJS.Kafka(config.common).producer({ ...config.producer, kafkaJS }) as unknown as ConfluentTransactionalProducer;
  } catch (error) {
    throw new HarnessError(`${CONFLUENT_PACKAGE} refused the transactional producer configuration: ${(error as Error).message}`, {
      cause: error,
      hint: 'deliveryTimeoutMs (message.timeout.ms) must not exceed transactions.transactionTimeoutMs',
    });
  }
  let connected = false;

  const sendOne = async (message: OutgoingMessage): Promise<SendOutcome> => {
    const troubleAtSend = trouble.count;
    try {
      const [metadata] = await producer.send({ topic, messages: [{ key: message.key, value: message.value, ...(message.partition === null ? {} : { partition: message.partition }) }] });
      return { ok: true, partition: message.partition ?? metadata?.partition ?? null, offset: offsetOf(metadata?.baseOffset) };
    } catch (error) {
      return failureOutcome(error, settings, trouble.since(troubleAtSend), null, message.partition);
    }
  };

  return {
    client: 'confluent',
    async init() {
      if (connected) return { ok: true };
      const outcome = await call(() => producer.connect());
      connected = outcome.ok;
      // An instance whose connect() failed refuses another ("Connect has already been called
      // elsewhere"): the workload's next init must use a new one.
      return outcome.ok ? outcome : { ...outcome, fatal: true };
    },
    begin: () => call(() => producer.transaction()),
    send: (messages) => Promise.all(messages.map(sendOne)),
    commit: () => call(() => producer.commit()),
    abort: () => call(() => producer.abort()),
    async close(timeoutMs) {
      if (!connected) return;
      connected = false;
      await Promise.race([producer.disconnect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
};
