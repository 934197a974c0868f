import { Kafka, logLevel } from 'kafkajs';
import { startLocalCluster } from '../harness/cluster/local-cluster';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { isAlive } from '../harness/process/process-liveness';
import { drainTopic } from '../harness/verify/verifier';
import { attachSharedCluster, testRunDir } from './shared-cluster';
import path from 'node:path';

let cluster: StartedCluster;
beforeAll(async () => {
  cluster = await attachSharedCluster();
});
afterAll(async () => {
  await cluster.resetProxies();
  await cluster.stop();
});

const kafkaVia = (bootstrap: string) =>
  new Kafka({ clientId: 'cluster-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, requestTimeout: 2000, connectionTimeout: 1000, retry: { retries: 1 } });

test('three brokers are registered and seen over DIRECT', async () => {
  const admin = kafkaVia(cluster.directBootstrap).admin();
  await admin.connect();
  const { brokers } = await admin.describeCluster();
  await admin.disconnect();
  expect(brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
  expect(cluster.brokers.every((b) => b.proxied.startsWith('127.0.0.1:') && b.direct.startsWith('127.0.0.1:'))).toBe(true);
});

test('createTopic gives k1, k2, k3 the lead of partitions 0, 1, 2', async () => {
  await cluster.createTopic('cluster-test-leaders');
  const state = await cluster.partitionState('cluster-test-leaders');
  expect(state.map((p) => [p.partition, p.leader, p.replicas])).toEqual([
    [0, 1, [1, 2, 3]],
    [1, 2, [2, 3, 1]],
    [2, 3, [3, 1, 2]],
  ]);
});

test('a message produced through the proxies is read back over DIRECT', async () => {
  await cluster.createTopic('cluster-test-roundtrip');
  const producer = kafkaVia(cluster.proxiedBootstrap).producer();
  await producer.connect();
  await producer.send({ topic: 'cluster-test-roundtrip', acks: -1, messages: [0, 1, 2].map((p) => ({ partition: p, value: JSON.stringify({ seq: p }) })) });
  await producer.disconnect();
  const records = await drainTopic(cluster.directBootstrap, 'cluster-test-roundtrip');
  expect(records.map((r) => [r.partition, r.seq])).toEqual([[0, 0], [1, 1], [2, 2]]);
});

test('with proxy k1 disabled the producer cannot reach k1, while k1 stays alive and in every ISR; re-enabled, sends to k1 work', async () => {
  const topic = 'cluster-test-cut-k1';
  await cluster.createTopic(topic);
  const k1 = cluster.brokers.find((b) => b.id === 1)!;
  await k1.proxy.update({ enabled: false, listen: k1.proxy.listen, upstream: k1.proxy.upstream });

  const producer = kafkaVia(cluster.proxiedBootstrap).producer();
  await producer.connect(); // bootstraps through k2 / k3
  await expect(producer.send({ topic, acks: -1, messages: [{ partition: 0, value: '{"seq":0}' }] })).rejects.toThrow();
  await expect(producer.send({ topic, acks: -1, messages: [{ partition: 1, value: '{"seq":1}' }] })).resolves.toHaveLength(1);

  const admin = kafkaVia(cluster.directBootstrap).admin();
  await admin.connect();
  expect((await admin.describeCluster()).brokers.map((b) => b.nodeId)).toContain(1);
  await admin.disconnect();
  const state = await cluster.partitionState(topic);
  expect(state.every((p) => p.isr.includes(1))).toBe(true);
  expect(state[0].leader).toBe(1);

  await cluster.resetProxies();
  await expect(producer.send({ topic, acks: -1, messages: [{ partition: 0, value: '{"seq":2}' }] })).resolves.toHaveLength(1);
  await producer.disconnect();
});

test('a second cluster starts beside the shared one without collisions, and stop() leaves no process of it', async () => {
  const second = await startLocalCluster({ workDir: path.join(testRunDir(), 'second-cluster'), log: () => {} });
  const pids = Object.values(second.brokerPids ?? {});
  try {
    const firstPorts = new Set([...cluster.directBootstrap.split(','), ...cluster.proxiedBootstrap.split(',')]);
    expect([...second.directBootstrap.split(','), ...second.proxiedBootstrap.split(',')].some((a) => firstPorts.has(a))).toBe(false);
    await second.createTopic('second-cluster-topic');
    expect((await second.partitionState('second-cluster-topic'))[0].leader).toBe(1);
    expect(pids).toHaveLength(3);
    expect(pids.every(isAlive)).toBe(true);
  } finally {
    await second.stop();
  }
  expect(pids.filter(isAlive)).toEqual([]);
  // the shared cluster is untouched
  expect((await cluster.partitionState('cluster-test-leaders'))[0].leader).toBe(1);
}, 120_000);
