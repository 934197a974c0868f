import { CompressionTypes, Kafka, logLevel, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { OutgoingMessage, ProducerFactory, ProducerSettings, ProducerUnderTest, SendOutcome } from './producer-under-test';

/** kafkajs' acks: -1 waits for the ISR, 1 for the leader, 0 for nothing. */
function kafkajsAcks(acks: ProducerSettings['acks']): number {
  return acks === 'all' ? -1 : acks;
}

/** Walks kafkajs' retry wrappers down to the error that ended the last attempt. */
function rootCause(error: unknown): Error & { type?: string; code?: string } {
  let current = error as Error & { cause?: unknown; originalError?: unknown };
  for (let depth = 0; depth < 10; depth++) {
    const next = current?.cause ?? current?.originalError;
    if (!next || typeof next !== 'object') break;
    current = next as typeof current;
  }
  return current;
}

/**
 * Only a refused connection or a broker's NOT_ENOUGH_REPLICAS tell the app that nothing was
 * written; a timeout leaves it unknown (the request may have landed). This reads the LAST
 * attempt's cause only: see PossiblyWrittenAttempts for the earlier ones.
 */
export function kafkajsFailureIsDefinite(error: unknown): boolean {
  const cause = rootCause(error);
  const text = `${cause?.message ?? ''} ${cause?.code ?? ''}`;
  return cause?.type === 'NOT_ENOUGH_REPLICAS' || /ECONNREFUSED|Connection refused/i.test(text);
}

export function describeError(error: unknown): string {
  const cause = rootCause(error);
  const outer = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return cause && cause !== error ? `${outer} (cause: ${cause.name}: ${cause.message})` : outer;
}

/** kafkajs logs a failed produce attempt that may have reached the broker with one of these messages. */
const POSSIBLY_WRITTEN_ATTEMPT = /timed out|Closed connection/i;

/**
 * kafkajs rejects a send with its last attempt's error only, so "refused" after a first attempt
 * that timed out would look definite. kafkajs logs every failed attempt at level ERROR; this
 * counts those that may have written (a request timed out, or its connection closed in flight).
 * A send is definite only if none happened while it was outstanding. Counted across all sends,
 * so it errs toward "unknown", never toward "not written".
 */
export class PossiblyWrittenAttempts {
  count = 0;
  readonly logCreator = () => (entry: { log: { message?: unknown } }) => {
    if (POSSIBLY_WRITTEN_ATTEMPT.test(String(entry.log.message ?? ''))) this.count++;
  };
}

/**
 * A kafkajs client with the scenario's timeouts and retries, logging failed attempts to `attempts`
 * (what reads as possibly written); shared by the plain and the transactional producer.
 */
export function kafkajsClient(clientId: string, bootstrap: string, settings: Pick<ProducerSettings, 'requestTimeoutMs' | 'retries'>, attempts: PossiblyWrittenAttempts): Kafka {
  return new Kafka({
    clientId,
    brokers: bootstrap.split(','),
    logLevel: logLevel.ERROR,
    logCreator: attempts.logCreator,
    connectionTimeout: settings.requestTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: settings.retries, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

/**
 * kafkajs producer: one `send()` per call of ours, several messages when messagesPerSend > 1.
 * The outcome is kafkajs' own: its requestTimeout × (retries + 1) plus backoff bound a send, and
 * no harness timer cuts it short (a scenario may name an application deadline: appDeadlineMs).
 */
export const createKafkajsProducer: ProducerFactory = (bootstrap, topic, settings) => {
  const attempts = new PossiblyWrittenAttempts();
  const kafka = kafkajsClient('kchaos-kafkajs', bootstrap, settings, attempts);
  // Every partition kafkajs' own partitioner picked for each value, in order: kafkajs partitions an
  // unkeyed message again on each retry, so a failed send may have been tried on several.
  const chosenPartitions = new WeakMap<Buffer, number[]>();
  const chosenPartition = (value: Buffer): number | null => chosenPartitions.get(value)?.at(-1) ?? null;
  const producer: Producer = kafka.producer({
    idempotent: settings.idempotent,
    maxInFlightRequests: settings.maxInFlight,
    allowAutoTopicCreation: false,
    createPartitioner: () => {
      const partitioner = Partitioners.DefaultPartitioner();
      return (args) => {
        const partition = partitioner(args);
        const value = args.message.value;
        if (Buffer.isBuffer(value)) chosenPartitions.set(value, [...(chosenPartitions.get(value) ?? []), partition]);
        return partition;
      };
    },
    ...settings.raw, // kafkajs producer options, e.g. { transactionTimeout: 30000 }
  });

  const outcomesFrom = (messages: OutgoingMessage[], metadata: RecordMetadata[]): SendOutcome[] => {
    const nextOffset = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset ?? -1)]));
    return messages.map((message) => {
      const partition = message.partition ?? chosenPartition(message.value);
      const base = partition === null ? undefined : nextOffset.get(partition);
      // acks=0 returns no offsets: the message is "ok" but where it landed is unknown (null).
      if (partition === null || base === undefined || base < 0) return { ok: true, partition, offset: null };
      nextOffset.set(partition, base + 1);
      return { ok: true, partition, offset: base };
    });
  };

  const underTest: ProducerUnderTest = {
    client: 'kafkajs',
    connect: () => producer.connect(),
    async send(messages) {
      const possiblyWrittenBefore = attempts.count;
      try {
        const metadata = await producer.send({
          topic,
          acks: kafkajsAcks(settings.acks),
          timeout: settings.requestTimeoutMs,
          compression: CompressionTypes.None,
          messages: messages.map((m) => ({ key: m.key, value: m.value, partition: m.partition ?? undefined })),
        });
        return outcomesFrom(messages, metadata);
      } catch (error) {
        const definite = kafkajsFailureIsDefinite(error) && attempts.count === possiblyWrittenBefore;
        const text = describeError(error);
        return messages.map((m) => ({
          ok: false as const,
          definite,
          error: text,
          partition: m.partition ?? chosenPartition(m.value),
          ...(m.partition === null ? { tried: chosenPartitions.get(m.value) ?? [] } : {}),
        }));
      }
    },
    async close(timeoutMs) {
      await Promise.race([producer.disconnect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
  return underTest;
};
