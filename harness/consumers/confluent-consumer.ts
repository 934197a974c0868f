import { loadConfluent } from '../clients/confluent-producer';
import { parseSeq } from '../verify/verifier';
import { AUTO_COMMIT_MODES, type ConsumedRecord, type ConsumerFactory, type ConsumerHooks, type ConsumerSettings, type ConsumerUnderTest, type LibraryOffsets, type OffsetPosition } from './consumer-under-test';

/** librdkafka's rebalance codes (RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS / __REVOKE_PARTITIONS). */
const ASSIGN = -175;

interface Message {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}
interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string | number;
}
interface ConfluentConsumer {
  connect(): Promise<void>;
  subscribe(args: { topics: string[] }): Promise<void>;
  run(config: Record<string, unknown>): Promise<void>;
  commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void>;
  disconnect(): Promise<void>;
  /** The librdkafka handle underneath: its 'offset.commit' event is the only report of the library's own commits. */
  _getInternalClient(): { on(event: 'offset.commit', listener: (error: unknown, offsets: TopicPartitionOffset[]) => void): void } | null;
}

function record(partition: number, message: Message): ConsumedRecord {
  return { partition, offset: Number(message.offset), seq: parseSeq(message.value), key: message.key ? message.key.toString('utf8') : null };
}

function text(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The consumer configuration for settings: KafkaJS names in the `kafkaJS` block (where the API
 * takes autoCommit, autoCommitInterval and fromBeginning: not in run() or subscribe()), librdkafka
 * properties at the top level. autoCommitThreshold does not exist in this API (the package refuses
 * it): ignored. enable.auto.offset.store cannot be set: the API stores offsets itself, after
 * eachMessage returned (since 1.10.1) or as eachBatch resolves them. Exported for tests.
 */
export function confluentConsumerConfig(bootstrap: string, settings: ConsumerSettings, consumerId: string, rebalance: (err: { code?: number }, assignment: TopicPartitionOffset[]) => void): Record<string, unknown> {
  return {
    kafkaJS: {
      brokers: bootstrap.split(','),
      clientId: `kchaos-confluent-${consumerId}`,
      groupId: settings.groupId,
      requestTimeout: settings.requestTimeoutMs,
      connectionTimeout: Math.min(settings.requestTimeoutMs, 3_000),
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.maxPollIntervalMs,
      maxWaitTimeInMs: settings.fetchMaxWaitMs,
      allowAutoTopicCreation: false,
      fromBeginning: settings.autoOffsetReset === 'earliest',
      autoCommit: AUTO_COMMIT_MODES.includes(settings.mode),
      autoCommitInterval: settings.autoCommitIntervalMs,
      logLevel: 0,
    },
    'max.poll.interval.ms': settings.maxPollIntervalMs,
    'reconnect.backoff.ms': 50,
    'reconnect.backoff.max.ms': 500,
    'topic.metadata.refresh.interval.ms': 5_000,
    rebalance_cb: rebalance,
    ...settings.raw,
  };
}

/**
 * Confluent's client through its KafkaJS-compatible consumer: `run({ eachMessage | eachBatch })`,
 * auto-commit in the auto modes. Rebalances come from a rebalance_cb (the API calls it before its
 * own assign/unassign), its commits from the librdkafka handle's offset.commit event (reported as
 * auto commits in the auto modes; in the commit modes autoCommit is off and every commit is the
 * application's). Generation is null: the API does not expose it.
 */
export const createConfluentConsumer: ConsumerFactory = (bootstrap, topic, settings, consumerId) => {
  const { KafkaJS } = loadConfluent();
  const auto = AUTO_COMMIT_MODES.includes(settings.mode);
  let hooks: ConsumerHooks | undefined;
  const rebalance = (err: { code?: number }, assignment: TopicPartitionOffset[]) => {
    const partitions = assignment.filter((p) => p.topic === topic).map((p) => p.partition).sort((a, b) => a - b);
    if (err?.code === ASSIGN) hooks?.assigned(partitions, null);
    else hooks?.revoked(partitions, null);
  };
  const kafka = new KafkaJS.Kafka({}) as unknown as { consumer(config: Record<string, unknown>): ConfluentConsumer };
  const consumer = kafka.consumer(confluentConsumerConfig(bootstrap, settings, consumerId, rebalance));

  const commitWith = (positions: OffsetPosition[]) => consumer.commitOffsets(positions.map((p) => ({ topic, partition: p.partition, offset: String(p.offset) })));

  const underTest: ConsumerUnderTest = {
    client: 'confluent',
    async start(given) {
      hooks = given;
      await consumer.connect();
      consumer._getInternalClient()?.on('offset.commit', (error, offsets) => {
        if (!auto) return;
        const positions = (offsets ?? []).filter((p) => p.topic === topic && Number(p.offset) >= 0).map((p) => ({ partition: p.partition, offset: Number(p.offset) }));
        hooks?.autoCommitted(positions, error ? text(error) : null);
      });
      await consumer.subscribe({ topics: [topic] });
      if (settings.api === 'eachMessage') {
        const offsets: LibraryOffsets = { commit: commitWith, store: () => {} }; // stored by the API after eachMessage returns
        await consumer.run({ eachMessage: async ({ partition, message }: { partition: number; message: Message }) => given.delivered([record(partition, message)], offsets) });
      } else {
        await consumer.run({
          eachBatchAutoResolve: settings.mode !== 'store-after-processing',
          eachBatch: async ({ batch, resolveOffset }: { batch: { partition: number; messages: Message[] }; resolveOffset: (offset: string) => void }) => {
            const offsets: LibraryOffsets = {
              commit: commitWith,
              store: (positions) => positions.forEach((p) => resolveOffset(String(p.offset - 1))), // the API resolves the processed offset
            };
            await given.delivered(batch.messages.map((m) => record(batch.partition, m)), offsets);
          },
        });
      }
    },
    async close(timeoutMs) {
      await Promise.race([consumer.disconnect().catch((error) => hooks?.error(`disconnect: ${text(error)}`)), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
  return underTest;
};
