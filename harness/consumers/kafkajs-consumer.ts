import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { parseSeq } from '../verify/verifier';
import { AUTO_COMMIT_MODES, type ConsumedRecord, type ConsumerFactory, type ConsumerHooks, type ConsumerUnderTest, type LibraryOffsets } from './consumer-under-test';

function record(partition: number, message: KafkaMessage): ConsumedRecord {
  return { partition, offset: Number(message.offset), seq: parseSeq(message.value), key: message.key ? message.key.toString('utf8') : null };
}

function text(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * kafkajs consumer: `run({ eachMessage | eachBatch })` with autoCommit on in the auto modes
 * (autoCommitInterval / autoCommitThreshold as the settings say) and off otherwise.
 * - eachMessage: kafkajs resolves a message's offset only after eachMessage returned, so its
 *   auto-commit never commits a record the app has not finished with.
 * - eachBatch: auto-commit resolves the whole batch after eachBatch returned (eachBatchAutoResolve),
 *   store-after-processing turns that off and resolves each record after processing (resolveOffset).
 * - kafkajs has no revoke callback: a GROUP_JOIN replaces the assignment, so the previous one is
 *   recorded revoked just before the new one is recorded assigned; generation is null (kafkajs
 *   keeps it private).
 * - Its own commits (COMMIT_OFFSETS) are reported as auto commits in the auto modes only; in the
 *   commit modes autoCommit is off and every commit is the application's.
 */
export const createKafkajsConsumer: ConsumerFactory = (bootstrap, topic, settings, consumerId) => {
  const kafka = new Kafka({
    clientId: `kchaos-kafkajs-${consumerId}`,
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(settings.requestTimeoutMs, 3_000),
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const consumer: Consumer = kafka.consumer({
    groupId: settings.groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    rebalanceTimeout: settings.maxPollIntervalMs,
    maxWaitTimeInMs: settings.fetchMaxWaitMs,
    allowAutoTopicCreation: false,
    ...settings.raw,
  });
  const auto = AUTO_COMMIT_MODES.includes(settings.mode);
  let assigned: number[] = [];

  const underTest: ConsumerUnderTest = {
    client: 'kafkajs',
    async start(hooks: ConsumerHooks) {
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        if (assigned.length > 0) hooks.revoked(assigned, null);
        assigned = [...(event.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
        hooks.assigned(assigned, null);
      });
      consumer.on(consumer.events.COMMIT_OFFSETS, (event) => {
        if (!auto) return;
        const offsets = event.payload.topics.filter((t) => t.topic === topic).flatMap((t) => t.partitions.map((p) => ({ partition: Number(p.partition), offset: Number(p.offset) }))); // kafkajs gives both as strings
        hooks.autoCommitted(offsets, null);
      });
      consumer.on(consumer.events.CRASH, (event) => hooks.error(`kafkajs consumer crashed (restart ${event.payload.restart}): ${text(event.payload.error)}`));
      consumer.on(consumer.events.REQUEST_TIMEOUT, (event) => hooks.error(`request timeout to ${event.payload.broker} (api ${event.payload.apiName})`));

      const commitWith = (positions: Array<{ partition: number; offset: number }>) =>
        consumer.commitOffsets(positions.map((p) => ({ topic, partition: p.partition, offset: String(p.offset) })));

      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: settings.autoOffsetReset === 'earliest' });
      const runConfig = { autoCommit: auto, autoCommitInterval: settings.autoCommitIntervalMs, autoCommitThreshold: settings.autoCommitThreshold };
      if (settings.api === 'eachMessage') {
        const offsets: LibraryOffsets = { commit: commitWith, store: () => {} }; // resolved after eachMessage returns
        await consumer.run({ ...runConfig, eachMessage: async ({ partition, message }) => hooks.delivered([record(partition, message)], offsets) });
      } else {
        await consumer.run({
          ...runConfig,
          eachBatchAutoResolve: settings.mode !== 'store-after-processing',
          eachBatch: async ({ batch, resolveOffset }) => {
            const offsets: LibraryOffsets = {
              commit: commitWith,
              store: (positions) => positions.forEach((p) => resolveOffset(String(p.offset - 1))), // kafkajs resolves the processed offset
            };
            await hooks.delivered(batch.messages.map((m) => record(batch.partition, m)), offsets);
          },
        });
      }
    },
    async close(timeoutMs) {
      await Promise.race([consumer.disconnect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
  return underTest;
};
