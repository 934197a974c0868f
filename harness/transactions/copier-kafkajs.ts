import { CompressionTypes, type Consumer, type Producer, type Transaction } from 'kafkajs';
import { kafkajsClient, PossiblyWrittenAttempts } from '../clients/kafkajs-producer';
import { parseSeq } from '../verify/verifier';
import type { CopierClientConfig } from './copier-librdkafka';
import type { CopierClient, InputRecord } from './copier-loop';
import { kafkajsCallFailure } from './kafkajs-transactional';
import { callOutcome } from './transactional-producer';

/** The group's session: the smallest the broker allows by default, so a killed copier's member leaves soon. @default 6000 */
const SESSION_TIMEOUT_MS = 6_000;
const HEARTBEAT_INTERVAL_MS = 1_000;

const call = (run: () => Promise<unknown>) => callOutcome(run, kafkajsCallFailure);

/**
 * A copier on kafkajs: kafkajs has no manual assignment, so its consumer subscribes to the input
 * topic in the copier's group (read_committed is kafkajs' default) and hands over each fetched
 * batch (one partition) in chunks; offsets go into the transaction through
 * transaction.sendOffsets({ consumerGroupId }), auto commit off.
 */
export function createKafkajsCopier(config: CopierClientConfig): CopierClient {
  const kafka = kafkajsClient('kchaos-copier-kafkajs', config.bootstrap, config.producer, new PossiblyWrittenAttempts());
  const producer: Producer = kafka.producer({
    transactionalId: config.transactionalId,
    transactionTimeout: config.transactionTimeoutMs,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer: Consumer = kafka.consumer({ groupId: config.groupId, sessionTimeout: SESSION_TIMEOUT_MS, heartbeatInterval: HEARTBEAT_INTERVAL_MS, readUncommitted: false, allowAutoTopicCreation: false });
  let current: Transaction | undefined;
  let stopped: ((error?: unknown) => void) | undefined;

  return {
    async init() {
      // kafkajs' connect() gets an idempotent producer id only; the transactional InitProducerId (the
      // one that fences an earlier instance) runs at the first transaction(). An empty transaction
      // begun and aborted (kafkajs sends no EndTxn for it) makes `ready` mean fenced, as librdkafka's.
      const connected = await call(async () => {
        await producer.connect();
        await (await producer.transaction()).abort();
      });
      if (!connected.ok) return connected;
      const consumerUp = await call(async () => {
        await consumer.connect();
        await consumer.subscribe({ topic: config.inputTopic, fromBeginning: true });
      });
      return consumerUp.ok ? consumerUp : { ...consumerUp, fatal: true };
    },
    consume(max, onBatch) {
      return new Promise<void>((resolve, reject) => {
        stopped = (error) => (error === undefined ? resolve() : reject(error));
        consumer
          .run({
            autoCommit: false,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
              try {
                for (let start = 0; start < batch.messages.length; start += max) {
                  if (!isRunning() || isStale()) return;
                  const chunk = batch.messages.slice(start, start + max);
                  const records: InputRecord[] = chunk.map((m) => ({ partition: batch.partition, offset: Number(m.offset), seq: parseSeq(m.value), value: m.value ?? Buffer.alloc(0) }));
                  await onBatch(records);
                  resolveOffset(chunk[chunk.length - 1].offset);
                  await heartbeat();
                }
              } catch (error) {
                // The copier stops on its first failure (the loop's rule): kafkajs must not retry the batch itself.
                stopped?.(error);
                await new Promise(() => {});
              }
            },
          })
          .catch(reject);
      });
    },
    begin: () => call(async () => (current = await producer.transaction())),
    send: (records) =>
      call(() =>
        current!.send({
          topic: config.outputTopic,
          acks: -1,
          timeout: config.producer.requestTimeoutMs,
          compression: CompressionTypes.None,
          messages: records.map((r) => ({ key: r.key, value: r.value, partition: r.partition })),
        }),
      ),
    sendOffsets: (offsets) =>
      call(() =>
        current!.sendOffsets({
          consumerGroupId: config.groupId,
          topics: [{ topic: config.inputTopic, partitions: offsets.map((o) => ({ partition: o.partition, offset: String(o.offset) })) }],
        }),
      ),
    commit: () => call(() => current!.commit()),
    abort: () => call(() => current!.abort()),
    async close(timeoutMs) {
      stopped?.();
      const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, timeoutMs))]);
      await bounded(consumer.disconnect());
      await bounded(producer.disconnect());
    },
  };
}
