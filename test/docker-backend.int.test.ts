import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { dockerEngineAnswersSync, startCluster } from '../harness/cluster/start-cluster';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { HarnessError } from '../harness/errors';
import { runScenario } from '../harness/run-scenario';
import { drainTopic } from '../harness/verify/verifier';
import { defineScenario } from '../scenarios/define-scenario';
import { testRunDir } from './shared-cluster';

// Chosen at load time (jest collects tests synchronously): `docker info` within 2 s or not.
const ENGINE = dockerEngineAnswersSync();
/** Image pulls on a first run can take minutes; they are not part of the start-up timeout. */
const DOCKER_START_TIMEOUT_MS = 600_000;
const SCENARIO_TIMEOUT_MS = 90_000;

const kafkaVia = (bootstrap: string) =>
  new Kafka({ clientId: 'docker-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, requestTimeout: 2000, connectionTimeout: 1000, retry: { retries: 1 } });

if (!ENGINE) {
  test.skip('docker backend: skipped — no Docker engine answers on this machine (`docker info` failed or took over 2 s)', () => {});

  test('--backend docker without an engine: one clear HarnessError saying what is missing and what to do', async () => {
    const outcome = await startCluster({ backend: 'docker', log: () => {} }).catch((error: unknown) => error);
    if (!(outcome instanceof Error)) await (outcome as StartedCluster).stop(); // testcontainers found an engine the CLI did not
    expect(outcome).toBeInstanceOf(HarnessError);
    expect((outcome as Error).message).toMatch(/--backend docker: no Docker engine answers[\s\S]*fix: start Docker .* or use --backend local/);
  }, SCENARIO_TIMEOUT_MS);
} else {
  describe('docker backend (testcontainers)', () => {
    let cluster: StartedCluster;
    beforeAll(async () => {
      cluster = await startCluster({ backend: 'docker', workDir: path.join(testRunDir(), 'docker-cluster'), log: (line) => process.stderr.write(`\n${line}`) });
    }, DOCKER_START_TIMEOUT_MS);
    afterAll(async () => {
      await cluster?.stop();
    }, SCENARIO_TIMEOUT_MS);

    test('three brokers over DIRECT; every address the harness is given is on 127.0.0.1', async () => {
      expect(cluster.backend).toBe('docker');
      const admin = kafkaVia(cluster.directBootstrap).admin();
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      await admin.disconnect();
      expect(brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(brokers.every((b) => b.host === '127.0.0.1')).toBe(true);
      expect(cluster.brokers.every((b) => b.direct.startsWith('127.0.0.1:') && b.proxied.startsWith('127.0.0.1:'))).toBe(true);
      expect(cluster.toxiproxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    test('a client that bootstraps through the proxies is only ever told proxy addresses', async () => {
      const admin = kafkaVia(cluster.proxiedBootstrap).admin();
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      await admin.disconnect();
      expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual(cluster.brokers.map((b) => b.proxied).sort());
      expect(cluster.brokers.map((b) => b.proxy.name)).toEqual(['k1', 'k2', 'k3']);
      expect(Object.keys(await cluster.toxiproxy.getAll()).sort()).toEqual(['k1', 'k1-replication', 'k2', 'k2-replication', 'k3', 'k3-replication']);
    });

    test('createTopic gives k1, k2, k3 the lead; produced through the proxies, read back over DIRECT', async () => {
      await cluster.createTopic('docker-test-roundtrip');
      const state = await cluster.partitionState('docker-test-roundtrip');
      expect(state.map((p) => [p.partition, p.leader, p.isr.length])).toEqual([[0, 1, 3], [1, 2, 3], [2, 3, 3]]);
      const producer = kafkaVia(cluster.proxiedBootstrap).producer();
      await producer.connect();
      await producer.send({ topic: 'docker-test-roundtrip', acks: -1, messages: [0, 1, 2].map((p) => ({ partition: p, value: JSON.stringify({ seq: p }) })) });
      await producer.disconnect();
      const records = await drainTopic(cluster.directBootstrap, 'docker-test-roundtrip');
      expect(records.map((r) => [r.partition, r.seq])).toEqual([[0, 0], [1, 1], [2, 2]]);
    }, SCENARIO_TIMEOUT_MS);

    test('a short scenario (refuse k1) runs on the docker backend and its counts add up', async () => {
      const scenario = defineScenario({ name: 'docker/kafkajs/refuse-k1', client: 'kafkajs', faults: [{ kind: 'refuse', target: 'k1' }], workload: { messages: 100 }, expect: { lostAcked: 0 } });
      const result = await runScenario(scenario, { cluster, runDir: path.join(testRunDir(), 'docker-backend') });
      const c = result.counts;
      expect(result.error).toBeUndefined();
      expect(result.verdict).toBe('pass');
      expect(c.attempted).toBe(100);
      expect(c.acked + c.failed + c.indeterminate).toBe(c.attempted);
      expect(c.observed).toBe(c.acked - c.lostAcked + c.deliveredDespiteError);
      expect(c.failed + c.indeterminate).toBeGreaterThan(0);
    }, SCENARIO_TIMEOUT_MS);
  });
}
