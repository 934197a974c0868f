import { CLIENTS } from '../harness/clients/clients';
import { DEFAULT_PRODUCER_SETTINGS, ProducerSettings } from '../harness/clients/producer-under-test';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { createResilientProducer } from '../harness/resilient/resilient-producer';
import { encodeValue } from '../harness/workload/workload';
import { BENCH_CONCURRENCY, BenchClient } from './throughput';

/** The settings bench/throughput.ts gives the plain clients, so both sides send alike. */
const SETTINGS: ProducerSettings = { ...DEFAULT_PRODUCER_SETTINGS, requestTimeoutMs: 10_000, deliveryTimeoutMs: 30_000 };

/** `count` sends, at most BENCH_CONCURRENCY outstanding (as bareThroughput's loop); messages per second. */
async function boundedSends(count: number, sendOne: (seq: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) await sendOne(next++);
  };
  await Promise.all(Array.from({ length: BENCH_CONCURRENCY }, worker));
  return count / ((performance.now() - started) / 1000);
}

/** The resilient producer (unkeyed, no backlog), 100-byte harness values. */
export async function resilientThroughput(client: BenchClient, cluster: StartedCluster, topic: string, count: number): Promise<number> {
  const producer = createResilientProducer({ client, bootstrap: cluster.proxiedBootstrap, topic, settings: SETTINGS, keyedPolicy: 'reroute' });
  await producer.connect();
  try {
    return await boundedSends(count, (seq) => producer.send({ value: encodeValue(seq, 1, 100) }));
  } finally {
    await producer.close({ timeoutMs: 5_000 });
  }
}

/**
 * The harness adapter the resilient producer drives (CLIENTS[client]), with explicit partitions in
 * rotation: what the resilient layer itself costs is resilient / adapter; what the adapter costs
 * over the client's own API is adapter / bare.
 */
export async function adapterThroughput(client: BenchClient, cluster: StartedCluster, topic: string, count: number): Promise<number> {
  const producer = CLIENTS[client](cluster.proxiedBootstrap, topic, SETTINGS);
  await producer.connect();
  try {
    return await boundedSends(count, (seq) => producer.send([{ seq, key: null, partition: seq % 3, value: encodeValue(seq, 1, 100) }]));
  } finally {
    await producer.close(5_000);
  }
}
