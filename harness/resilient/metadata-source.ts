import { Admin, Kafka, logLevel } from 'kafkajs';
import { Producer } from 'node-rdkafka';
import { HarnessError } from '../errors';
import { DEFAULT_PRODUCER_SETTINGS, ProducerSettings } from '../clients/producer-under-test';
import { describeRdkafkaError, rdkafkaConfig } from '../clients/rdkafka-producer';
import type { ResilientClient } from './resilient-options';

/** A topic's partitions and their leaders as one metadata answer gave them (-1: no leader). */
export interface LeaderSnapshot {
  leaders: number[];
}

/**
 * Where the resilient producer learns partition → leader: a metadata client of the same library,
 * bootstrapped through the same addresses as the producer (so behind the same proxies): kafkajs'
 * admin fetchTopicMetadata, or a node-rdkafka handle's getMetadata.
 */
export interface MetadataSource {
  connect(timeoutMs: number): Promise<void>;
  fetch(timeoutMs: number): Promise<LeaderSnapshot>;
  close(): Promise<void>;
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function snapshot(topic: string, partitions: Array<{ id: number; leader: number }> | undefined): LeaderSnapshot {
  if (!partitions || partitions.length === 0) throw new HarnessError(`metadata has no partitions for topic ${topic}`, { hint: 'create the topic first (the resilient producer never creates topics)' });
  const leaders = new Array<number>(Math.max(...partitions.map((p) => p.id)) + 1).fill(-1);
  for (const p of partitions) leaders[p.id] = typeof p.leader === 'number' && p.leader >= 0 ? p.leader : -1;
  return { leaders };
}

function kafkajsSource(bootstrap: string, topic: string, settings: ProducerSettings): MetadataSource {
  const admin: Admin = new Kafka({
    clientId: 'kchaos-resilient-metadata',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: settings.requestTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 1000 },
  }).admin();
  return {
    connect: (timeoutMs) => withTimeout(admin.connect(), timeoutMs, `kafkajs metadata client connect to ${bootstrap}`),
    async fetch(timeoutMs) {
      const answer = await withTimeout(admin.fetchTopicMetadata({ topics: [topic] }), timeoutMs, `kafkajs metadata of ${topic}`);
      const found = answer.topics.find((t) => t.name === topic);
      return snapshot(topic, found?.partitions.map((p) => ({ id: p.partitionId, leader: p.leader })));
    },
    close: () => withTimeout(admin.disconnect(), 5_000, 'kafkajs metadata client disconnect').catch(() => {}),
  };
}

function rdkafkaSource(bootstrap: string, topic: string, settings: ProducerSettings): MetadataSource {
  const [globalConfig] = rdkafkaConfig(bootstrap, settings);
  const handle = new Producer({ ...globalConfig, 'client.id': 'kchaos-resilient-metadata' }, {});
  let connected = false;
  return {
    connect: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        handle.connect({ topic, timeout: timeoutMs }, (error) => {
          if (error) reject(new Error(`node-rdkafka metadata client connect to ${bootstrap}: ${describeRdkafkaError(error)}`));
          else {
            connected = true;
            resolve();
          }
        });
      }),
    fetch: (timeoutMs) =>
      withTimeout(
        new Promise<LeaderSnapshot>((resolve, reject) => {
          handle.getMetadata({ topic, timeout: timeoutMs }, (error, metadata) => {
            if (error) return reject(new Error(`node-rdkafka metadata of ${topic}: ${describeRdkafkaError(error)}`));
            try {
              resolve(snapshot(topic, metadata.topics.find((t) => t.name === topic)?.partitions));
            } catch (e) {
              reject(e);
            }
          });
        }),
        timeoutMs + 1_000,
        `node-rdkafka metadata of ${topic}`,
      ),
    close: () =>
      connected ? withTimeout(new Promise<void>((resolve) => handle.disconnect(0, () => resolve())), 5_000, 'node-rdkafka metadata client disconnect').catch(() => {}) : Promise.resolve(),
  };
}

export function createMetadataSource(client: ResilientClient, bootstrap: string, topic: string, settings: Partial<ProducerSettings>): MetadataSource {
  const full = { ...DEFAULT_PRODUCER_SETTINGS, ...settings };
  return client === 'kafkajs' ? kafkajsSource(bootstrap, topic, full) : rdkafkaSource(bootstrap, topic, full);
}
