import { CLIENTS } from '../harness/clients/clients';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { createResilientProducer } from '../harness/resilient/resilient-producer';
import { encodeValue } from '../harness/workload/workload';
import { BenchClient, boundedLoop, SETTINGS } from './throughput';

/** The resilient producer (unkeyed, no backlog), 100-byte harness values. */
export async function resilientThroughput(client: BenchClient, cluster: StartedCluster, topic: string, count: number): Promise<number> {
  const producer = createResilientProducer({ client, bootstrap: cluster.proxiedBootstrap, topic, settings: SETTINGS, keyedPolicy: 'reroute' });
  await producer.connect();
  try {
    return await boundedLoop(count, (seq) => producer.send({ value: encodeValue(seq, 1, 100) }));
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
    return await boundedLoop(count, (seq) => producer.send([{ seq, key: null, partition: seq % 3, value: encodeValue(seq, 1, 100) }]));
  } finally {
    await producer.close(5_000);
  }
}
