import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Producer } from 'node-rdkafka';
import { CLIENTS } from '../harness/clients/clients';
import { DEFAULT_PRODUCER_SETTINGS, ProducerSettings } from '../harness/clients/producer-under-test';
import { POLL_INTERVAL_MS, rdkafkaConfig } from '../harness/clients/rdkafka-producer';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { HistoryRecorder } from '../harness/history/history-recorder';
import { DEFAULT_WORKAROUND } from '../harness/strategies/partition-strategy';
import { createStrategy } from '../harness/strategies/strategies';
import { encodeValue, runWorkload } from '../harness/workload/workload';

/** Outstanding sends in every loop, harness and bare alike. @default 256 */
export const BENCH_CONCURRENCY = 256;
/** Generous timeouts: a throughput run has no faults, and a slow moment must not count as a failure. */
export const SETTINGS: ProducerSettings = { ...DEFAULT_PRODUCER_SETTINGS, requestTimeoutMs: 10_000, deliveryTimeoutMs: 30_000 };

export type BenchClient = 'kafkajs' | 'node-rdkafka';

/** Runs `count` sends with at most BENCH_CONCURRENCY outstanding; resolves messages per second. */
export async function boundedLoop(count: number, sendOne: (seq: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) await sendOne(next++);
  };
  await Promise.all(Array.from({ length: BENCH_CONCURRENCY }, worker));
  return count / ((performance.now() - started) / 1000);
}

/** The client's own API in a tight loop: no history, no strategy, no adapter. */
export async function bareThroughput(client: BenchClient, cluster: StartedCluster, topic: string, count: number): Promise<number> {
  if (client === 'kafkajs') {
    const producer = new Kafka({ clientId: 'bench-bare', brokers: cluster.proxiedBootstrap.split(','), logLevel: logLevel.NOTHING, requestTimeout: SETTINGS.requestTimeoutMs })
      .producer({ allowAutoTopicCreation: false, maxInFlightRequests: SETTINGS.maxInFlight });
    await producer.connect();
    try {
      return await boundedLoop(count, (seq) => producer.send({ topic, acks: -1, messages: [{ value: encodeValue(seq, 1, 100) }] }));
    } finally {
      await producer.disconnect();
    }
  }
  const [globalConfig, topicConfig] = rdkafkaConfig(cluster.proxiedBootstrap, SETTINGS);
  const producer = new Producer({ ...globalConfig, dr_cb: true }, topicConfig);
  const waiting = new Map<number, () => void>();
  producer.on('delivery-report', (_error, report) => {
    waiting.get(report.opaque as number)?.();
    waiting.delete(report.opaque as number);
  });
  await new Promise<void>((resolve, reject) => producer.connect({}, (error) => (error ? reject(error) : resolve())));
  producer.setPollInterval(POLL_INTERVAL_MS);
  try {
    return await boundedLoop(count, (seq) => new Promise<void>((resolve) => {
      waiting.set(seq, resolve);
      producer.produce(topic, null, encodeValue(seq, 1, 100), null, Date.now(), seq);
    }));
  } finally {
    await new Promise((resolve) => producer.disconnect(resolve));
  }
}

/** The same sends through the harness: adapter, strategy, workload and history recorder on. */
export async function harnessThroughput(client: BenchClient, cluster: StartedCluster, topic: string, count: number): Promise<number> {
  const historyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-bench-')), 'history.jsonl');
  const recorder = new HistoryRecorder(historyFile);
  const producer = CLIENTS[client](cluster.proxiedBootstrap, topic, SETTINGS);
  await producer.connect();
  try {
    const topicView = { partitions: 3, leaderOf: () => undefined };
    const strategy = createStrategy('round-robin', 'library-only', topicView, DEFAULT_WORKAROUND, () => recorder.now());
    const started = performance.now();
    await runWorkload(producer, strategy, recorder, { messages: count, ratePerSec: null, concurrency: BENCH_CONCURRENCY, payloadBytes: 100, drainDeadlineMs: 600_000 }, DEFAULT_WORKAROUND, {
      messagesPerSend: 1,
      leaderOf: () => undefined,
    });
    return count / ((performance.now() - started) / 1000);
  } finally {
    recorder.close();
    await producer.close(5_000);
    fs.rmSync(path.dirname(historyFile), { recursive: true, force: true });
  }
}
