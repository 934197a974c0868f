import { KafkaConsumer, type LibrdKafkaError, type Message, type TopicPartition, type TopicPartitionOffset } from 'node-rdkafka';
import { HarnessError } from '../errors';
import { assertNodeRdkafkaOwnLibrdkafka, describeRdkafkaError } from '../clients/rdkafka-producer';
import { parseSeq } from '../verify/verifier';
import { AUTO_COMMIT_MODES, type ConsumedRecord, type ConsumerFactory, type ConsumerHooks, type ConsumerSettings, type ConsumerUnderTest, type LibraryOffsets, type OffsetPosition } from './consumer-under-test';

/** consume() returns after this long without a message. @default 200 */
const CONSUME_WAIT_MS = 200;
/** Pause after a consume() error before the next call. @default 100 */
const ERROR_BACKOFF_MS = 100;
/** librdkafka's rebalance codes (RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS / __REVOKE_PARTITIONS). */
const ASSIGN = -175;
const REVOKE = -174;

/** The librdkafka configuration for settings: [global, topic]. Exported for tests. */
export function rdkafkaConsumerConfig(bootstrap: string, settings: ConsumerSettings, consumerId: string): [Record<string, string | number | boolean>, Record<string, string | number | boolean>] {
  const auto = AUTO_COMMIT_MODES.includes(settings.mode);
  const global: Record<string, string | number | boolean> = {
    'metadata.broker.list': bootstrap,
    'client.id': `kchaos-rdkafka-${consumerId}`,
    'group.id': settings.groupId,
    'enable.auto.commit': auto,
    // librdkafka's default (true) stores an offset when the message is handed to the app, before
    // it is processed; store-after-processing stores it itself, after processing.
    'enable.auto.offset.store': settings.mode === 'auto-commit',
    'auto.commit.interval.ms': settings.autoCommitIntervalMs,
    'session.timeout.ms': settings.sessionTimeoutMs,
    'heartbeat.interval.ms': settings.heartbeatIntervalMs,
    'max.poll.interval.ms': settings.maxPollIntervalMs,
    'fetch.wait.max.ms': settings.fetchMaxWaitMs,
    'socket.timeout.ms': Math.max(settings.requestTimeoutMs, 10),
    'socket.connection.setup.timeout.ms': Math.max(1_000, settings.requestTimeoutMs),
    'reconnect.backoff.ms': 50,
    'reconnect.backoff.max.ms': 500,
    'topic.metadata.refresh.interval.ms': 5_000,
    rebalance_cb: true,
    offset_commit_cb: true,
  };
  const topic: Record<string, string | number | boolean> = { 'auto.offset.reset': settings.autoOffsetReset };
  for (const [key, value] of Object.entries(settings.raw)) {
    if (key === 'auto.offset.reset') topic[key] = value;
    else global[key] = value;
  }
  return [global, topic];
}

function record(message: Message): ConsumedRecord {
  const key = message.key === null || message.key === undefined ? null : Buffer.isBuffer(message.key) ? message.key.toString('utf8') : String(message.key);
  return { partition: message.partition, offset: message.offset, seq: parseSeq(message.value), key };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * node-rdkafka KafkaConsumer in a consume() loop: consume(1) for eachMessage, consume(maxPollRecords)
 * for eachBatch; the next consume() waits for the application. Auto modes set enable.auto.commit
 * (auto-commit also keeps enable.auto.offset.store, librdkafka's default; store-after-processing
 * turns it off and calls offsetsStore after each record). Commit modes commit with commitSync.
 * When the application's commit fails, the batch is seeked back so the library redelivers it.
 * Generation is null: node-rdkafka does not expose it.
 */
export const createRdkafkaConsumer: ConsumerFactory = (bootstrap, topic, settings, consumerId) => {
  assertNodeRdkafkaOwnLibrdkafka();
  const [globalConfig, topicConfig] = rdkafkaConsumerConfig(bootstrap, settings, consumerId);
  let consumer: KafkaConsumer;
  try {
    consumer = new KafkaConsumer(globalConfig, topicConfig);
  } catch (error) {
    throw new HarnessError(`node-rdkafka refused the consumer configuration: ${(error as Error).message}`, { cause: error, hint: 'check the scenario consumer settings and raw librdkafka properties' });
  }
  const auto = AUTO_COMMIT_MODES.includes(settings.mode);
  let running = false;
  let loop: Promise<void> | undefined;

  const offsets: LibraryOffsets = {
    // commitSync: node-rdkafka serves offset_commit_cb only inside consume(), which waits for this
    // very batch, so an async commit could not be awaited here. commitSync blocks the JS thread
    // (the child's) until the coordinator answered or librdkafka gave up; heartbeats run on
    // librdkafka's own threads meanwhile.
    commit: async (positions) => {
      try {
        consumer.commitSync(positions.map((p) => ({ topic, partition: p.partition, offset: p.offset })));
      } catch (error) {
        throw new Error(describeRdkafkaError(error));
      }
    },
    store: (positions) => {
      consumer.offsetsStore(positions.map((p) => ({ topic, partition: p.partition, offset: p.offset })));
    },
  };

  const runLoop = async (hooks: ConsumerHooks) => {
    const count = settings.api === 'eachMessage' ? 1 : settings.maxPollRecords;
    while (running) {
      let messages: Message[];
      try {
        messages = await new Promise<Message[]>((resolve, reject) => consumer.consume(count, (error, batch) => (error ? reject(error) : resolve(batch))));
      } catch (error) {
        if (running) hooks.error(`consume: ${describeRdkafkaError(error)}`);
        await sleep(ERROR_BACKOFF_MS);
        continue;
      }
      if (messages.length === 0 || !running) continue;
      const records = messages.map(record);
      try {
        await hooks.delivered(records, offsets);
      } catch {
        // The application's commit failed: redeliver the batch from its first offset per partition.
        const first = new Map<number, number>();
        for (const r of records) if (!first.has(r.partition)) first.set(r.partition, r.offset);
        for (const [partition, offset] of first) {
          await new Promise<void>((resolve) => consumer.seek({ topic, partition, offset }, 1_000, () => resolve()));
        }
      }
    }
  };

  const underTest: ConsumerUnderTest = {
    client: 'node-rdkafka',
    start(hooks) {
      consumer.on('rebalance', (error: LibrdKafkaError, assignment: TopicPartition[]) => {
        const partitions = assignment.filter((a) => a.topic === topic).map((a) => a.partition).sort((a, b) => a - b);
        if (error?.code === ASSIGN) hooks.assigned(partitions, null);
        else if (error?.code === REVOKE) hooks.revoked(partitions, null);
        else hooks.error(`rebalance: ${describeRdkafkaError(error)}`);
      });
      consumer.on('offset.commit', (error: LibrdKafkaError | undefined, committed: TopicPartitionOffset[]) => {
        const positions: OffsetPosition[] = (committed ?? []).filter((t) => t.topic === topic && typeof t.offset === 'number' && t.offset >= 0).map((t) => ({ partition: t.partition, offset: t.offset }));
        const partitionError = (committed ?? []).find((t) => (t as { error?: unknown }).error)?.['error' as keyof TopicPartitionOffset];
        const problem = error ? describeRdkafkaError(error) : partitionError ? describeRdkafkaError(partitionError) : null;
        // The application's commits are commitSync calls, recorded by the application itself.
        if (!auto) return;
        // ERR__NO_OFFSET: the timer found nothing new to commit; not a commit.
        if (!(error && error.code === -168)) hooks.autoCommitted(positions, problem);
      });
      consumer.on('event.error', (error: LibrdKafkaError) => hooks.error(describeRdkafkaError(error)));
      return new Promise<void>((resolve, reject) => {
        consumer.connect({ timeout: 15_000 }, (error) => {
          if (error) {
            reject(new HarnessError(`node-rdkafka consumer could not connect to ${bootstrap}: ${describeRdkafkaError(error)}`, { cause: error, hint: 'check that the cluster is up and the proxies are enabled' }));
            return;
          }
          consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);
          consumer.subscribe([topic]);
          running = true;
          loop = runLoop(hooks);
          resolve();
        });
      });
    },
    async close(timeoutMs) {
      running = false;
      const deadline = new Promise((resolve) => setTimeout(resolve, timeoutMs));
      await Promise.race([loop, deadline]);
      // librdkafka's close commits stored offsets when enable.auto.commit is on (reported through offset_commit_cb).
      await Promise.race([new Promise<void>((resolve) => consumer.disconnect(() => resolve())), deadline]);
    },
  };
  return underTest;
};
