import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { OWNER_PID_LABEL } from '../harness/cluster/docker-owner-labels';
import { dockerEngineAnswersSync, startCluster } from '../harness/cluster/start-cluster';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { KAFKA_IMAGE_ENV, localKafkaImage, localToxiproxyImage, TOXIPROXY_IMAGE_ENV } from '../harness/docker-images/image-names';
import { installHint, isClientInstalled } from '../harness/clients/installed-clients';
import { HarnessError } from '../harness/errors';
import { TopicAdmin } from '../harness/cluster/topic-admin';
import { runScenario } from '../harness/run-scenario';
import { runInLanes } from '../harness/lanes/run-in-lanes';
import { drainTopic } from '../harness/verify/verifier';
import { defineScenario } from '../scenarios/define-scenario';
import { seedCases, seedScenario } from '../scenarios/seed.suite';
import type { ScenarioResult } from '../reports/results-types';
import { compareTable, readMeasured } from './docker-compare-with-local';
import { testRunDir } from './shared-cluster';

// Chosen at load time (jest collects tests synchronously): `docker info` within 2 s or not.
const ENGINE = dockerEngineAnswersSync();
/** Image pulls on a first run can take minutes; they are not part of the start-up timeout. */
const DOCKER_START_TIMEOUT_MS = 600_000;
const SCENARIO_TIMEOUT_MS = 120_000;
/**
 * Client lanes of the test's cluster (`--parallel` on docker): the seed subset runs four scenarios
 * at once, each behind its own proxies, as `kchaos run --parallel 4` does on this 2-core machine.
 */
const LANES = 4;
/** The whole subset in lanes: 28 rows of ~25–40 s each, four at a time, on two busy cores. */
const SUBSET_TIMEOUT_MS = 1_200_000;

const docker = (args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 20_000 });
const imagePresent = (image: string) => docker(['image', 'inspect', image]).status === 0;

/**
 * The images: KCHAOS_KAFKA_IMAGE / KCHAOS_TOXIPROXY_IMAGE when set (CI sets them to the offline
 * build), else the offline build when this engine has it, else the public defaults.
 */
function testImages(): { kafkaImage?: string; toxiproxyImage?: string } {
  const pick = (env: string, local: string) => process.env[env] || (ENGINE && imagePresent(local) ? local : undefined);
  return { kafkaImage: pick(KAFKA_IMAGE_ENV, localKafkaImage()), toxiproxyImage: pick(TOXIPROXY_IMAGE_ENV, localToxiproxyImage()) };
}

/** Containers and networks this jest process owns (by the owner label). */
function ownedByUs(): string[] {
  const filter = `label=${OWNER_PID_LABEL}=${process.pid}`;
  const containers = docker(['ps', '-a', '-q', '--filter', filter]).stdout.split('\n').filter(Boolean);
  const networks = docker(['network', 'ls', '-q', '--filter', filter]).stdout.split('\n').filter(Boolean);
  return [...containers.map((c) => `container ${c}`), ...networks.map((n) => `network ${n}`)];
}

/** The seed subset of issue 15: every client × strategy, blackhole k1 from the start, library-only and workaround, plus the no-fault controls. */
const DOCKER_SEED_SUBSET = seedCases()
  .filter((c) => c.fault === 'none' || (c.fault === 'blackhole' && !c.midRun && (c.mode === 'library-only' || c.mode === 'workaround')))
  .map(seedScenario);

/**
 * The plan with the clients taken in turn (node-rdkafka, java, confluent, node-rdkafka, …), so the
 * four lanes hold different clients at once rather than four JVMs or four producers of one library.
 */
function interleavedByClient<T extends { client?: string }>(plan: T[]): T[] {
  const byClient = new Map<string, T[]>();
  for (const s of plan) byClient.set(s.client ?? '', [...(byClient.get(s.client ?? '') ?? []), s]);
  const queues = [...byClient.values()];
  const out: T[] = [];
  for (let i = 0; out.length < plan.length; i++) for (const q of queues) if (i < q.length) out.push(q[i]);
  return out;
}

/**
 * kafkajs's blackhole rows run one at a time, after the laned rows, as their pins were measured
 * (--parallel 1). Their exact pins (hashing 88, manual 100) hold only when no record is in kafkajs's
 * retry back-off at the heal: the heal closes the held connection and such records are resent and
 * acked after it. One at a time on docker: 40 of 40 runs within the pins, no late ack in the
 * library-only runs (docs/measured/docker/kafkajs-blackhole-repeat.json, load 13–18). In 4 lanes at
 * load 20–29: 6–12 late acks, 4 of 7 rows below their pins (docs/measured/docker/timings-2026-11-30.md).
 * (At load 40 four kafkajs producers in this one process also fell behind their send schedule.)
 */
const ONE_AT_A_TIME_CLIENT = 'kafkajs';

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
  const images = testImages();

  test('an image this engine lacks and cannot pull: one error at once naming --backend local and the build command; nothing created', async () => {
    const startedAtMs = Date.now();
    const outcome = await startCluster({ backend: 'docker', kafkaImage: 'kchaos-test/no-such-kafka:0', toxiproxyImage: images.toxiproxyImage, log: () => {} }).catch((error: unknown) => error);
    if (!(outcome instanceof Error)) await (outcome as StartedCluster).stop();
    expect(outcome).toBeInstanceOf(HarnessError);
    const message = (outcome as Error).message;
    expect(message).toMatch(/^--backend docker: kchaos-test\/no-such-kafka:0 is not on this Docker engine and cannot be pulled \(/);
    expect(message).toContain('--backend local');
    expect(message).toContain('kchaos docker build-images');
    expect(Date.now() - startedAtMs).toBeLessThan(30_000); // no container start was tried
    expect(ownedByUs()).toEqual([]);
  }, SCENARIO_TIMEOUT_MS);

  describe(`docker backend (testcontainers; ${images.kafkaImage ?? 'apache/kafka'}, ${images.toxiproxyImage ?? 'ghcr.io/shopify/toxiproxy'})`, () => {
    let cluster: StartedCluster;
    const subsetResults: ScenarioResult[] = [];
    const outDir = path.join(testRunDir(), 'docker-backend');
    beforeAll(async () => {
      const startedAtMs = Date.now();
      cluster = await startCluster({ backend: 'docker', ...images, lanes: LANES, workDir: path.join(testRunDir(), 'docker-cluster'), log: (line) => process.stderr.write(`\n${line}`) });
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, 'cluster-start.json'), JSON.stringify({ backend: 'docker', ...images, lanes: LANES, startMs: Date.now() - startedAtMs }));
    }, DOCKER_START_TIMEOUT_MS);
    afterAll(async () => {
      await cluster?.stop();
      if (subsetResults.length > 0) {
        const table = compareTable('docker', subsetResults.map((r) => ({ name: r.name, verdict: r.verdict, counts: r.counts as unknown as Record<string, number> })), readMeasured());
        fs.writeFileSync(path.join(outDir, 'seed-subset-vs-local.md'), `${table}\n`);
        process.stderr.write(`\nseed subset on docker beside the local backend's measured ranges (! = outside the local min–max):\n${table}\n`);
      }
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

    test('the containers and their network carry this process as owner (what the reaper reads after a crash)', () => {
      const owned = ownedByUs();
      expect(owned.filter((o) => o.startsWith('container'))).toHaveLength(4);
      expect(owned.filter((o) => o.startsWith('network'))).toHaveLength(1);
    });

    test('a client that bootstraps through the proxies is only ever told proxy addresses', async () => {
      const admin = kafkaVia(cluster.proxiedBootstrap).admin();
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      await admin.disconnect();
      expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual(cluster.brokers.map((b) => b.proxied).sort());
      expect(cluster.brokers.map((b) => b.proxy.name)).toEqual(['k1', 'k2', 'k3']);
      const laneProxies = [2, 3, 4].flatMap((lane) => [1, 2, 3].map((id) => `k${id}-lane${lane}`));
      expect(Object.keys(await cluster.toxiproxy.getAll()).sort()).toEqual(['k1', 'k1-replication', 'k2', 'k2-replication', 'k3', 'k3-replication', ...laneProxies].sort());
    });

    test(`${LANES} client lanes: a client through lane n's proxies is only ever told lane n's proxy addresses`, async () => {
      expect(cluster.lanes?.map((l) => l.index)).toEqual([1, 2, 3, 4]);
      for (const lane of cluster.lanes!) {
        const admin = kafkaVia(lane.brokers.map((b) => b.proxied).join(',')).admin();
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        await admin.disconnect();
        expect(brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual(lane.brokers.map((b) => b.proxied).sort());
        expect(lane.brokers.map((b) => b.proxy.name)).toEqual([1, 2, 3].map((id) => (lane.index === 1 ? `k${id}` : `k${id}-lane${lane.index}`)));
      }
    }, SCENARIO_TIMEOUT_MS);

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
      const result = await runScenario(scenario, { cluster, runDir: outDir });
      const c = result.counts;
      expect(result.error).toBeUndefined();
      expect(result.verdict).toBe('pass');
      expect(c.attempted).toBe(100);
      expect(c.acked + c.failed + c.indeterminate).toBe(c.attempted);
      expect(c.observed).toBe(c.acked - c.lostAcked + c.deliveredDespiteError);
      expect(c.failed + c.indeterminate).toBeGreaterThan(0);
    }, SCENARIO_TIMEOUT_MS);

    test('process faults through the engine: docker kill, stop and pause take k3 out of the ISR; start and unpause bring it back', async () => {
      const topic = 'docker-test-process-faults';
      await cluster.createTopic(topic);
      // Asked of k1 alone, by a fresh admin each time (k1's DIRECT address as its only bootstrap): a frozen
      // k3 answers no request, and an admin that has ever connected to k3 may pick that connection for
      // its next metadata request (kafkajs picks any connected broker, and a paused broker's socket stays open).
      const isrOfP2 = async () => {
        const k1Admin = new TopicAdmin(cluster.directBootstrap.split(',')[0], [1, 2, 3], { retries: 0 });
        try {
          return (await k1Admin.partitionState(topic)).find((p) => p.partition === 2)!;
        } finally {
          await k1Admin.close();
        }
      };
      // A request that still times out is asked again until the deadline.
      const waitForIsr = async (holds: (isr: number[]) => boolean, what: string) => {
        let last = 'no answer yet';
        for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
          try {
            const { isr } = await isrOfP2();
            if (holds(isr)) return;
            last = `ISR of p2 is ${JSON.stringify(isr)}`;
          } catch (error) {
            last = `last metadata request failed: ${error instanceof Error ? error.message : String(error)}`;
          }
        }
        throw new Error(`timed out waiting for ${what}: ${last}`);
      };
      const inspect = () => JSON.parse(docker(['inspect', '--format', '{{json .State}}', ...ownedContainerOf('k3')]).stdout) as { Running: boolean; Paused: boolean };
      const ownedContainerOf = (hostname: string) => docker(['ps', '-a', '-q', '--filter', `label=${OWNER_PID_LABEL}=${process.pid}`]).stdout.split('\n').filter(Boolean)
        .filter((id) => docker(['inspect', '--format', '{{.Config.Hostname}}', id]).stdout.trim() === hostname);

      try {
        await cluster.stopBroker!(3, 'SIGKILL');
        expect(inspect().Running).toBe(false);
        await waitForIsr((isr) => !isr.includes(3), 'k3 leaving the ISR after docker kill');
        await cluster.startBroker!(3);
        await waitForIsr((isr) => isr.includes(3), 'k3 back in the ISR after docker start');

        await cluster.stopBroker!(3, 'SIGTERM', { graceMs: 20_000 });
        expect(inspect().Running).toBe(false);
        await cluster.startBroker!(3);
        await waitForIsr((isr) => isr.includes(3), 'k3 back after docker stop + start');

        await cluster.pauseBroker!(3);
        expect(inspect().Paused).toBe(true);
        await waitForIsr((isr) => !isr.includes(3), 'a frozen k3 leaving the ISR');
        await cluster.resumeBroker!(3);
        expect(inspect().Paused).toBe(false);
        await waitForIsr((isr) => isr.includes(3), 'k3 back after docker unpause');
      } finally {
        // Whatever failed above, k3 runs again: every later test needs all three brokers.
        const state = inspect();
        if (state.Paused) await cluster.resumeBroker!(3);
        else if (!state.Running) await cluster.startBroker!(3);
      }
    }, 300_000);

    test('a restart fault in a scenario (k1, SIGTERM then start) runs through the engine and loses no acknowledged message', async () => {
      const scenario = defineScenario({
        name: 'docker/kafkajs/restart-k1', client: 'kafkajs',
        faults: [{ kind: 'restart', target: 'k1', atMs: 500, graceMs: 20_000 }],
        workload: { messages: 200, ratePerSec: 50 }, expect: { lostAcked: 0 },
      });
      const result = await runScenario(scenario, { cluster, runDir: outDir });
      expect(result.error).toBeUndefined();
      expect(result.verdict).toBe('pass');
      expect(result.faults.map((f) => [f.kind, f.target])).toEqual([['restart', 'k1']]);
      expect(result.counts.lostAcked).toBe(0);
    }, 300_000);

    describe(`seed subset on docker, ${LANES} lanes at once (${ONE_AT_A_TIME_CLIENT} one at a time)`, () => {
      const installed = DOCKER_SEED_SUBSET.filter((s) => isClientInstalled(s.client));
      const byName = new Map<string, ScenarioResult>();
      beforeAll(async () => {
        const done = (result: ScenarioResult, n: number, total: number) => process.stderr.write(`\ndocker subset ${n}/${total} ${result.name}: ${result.verdict} (${(result.durationMs / 1000).toFixed(1)} s)`);
        const reporters = { onScenarioStart: () => {}, onScenarioPhase: () => {}, onScenarioEnd: done };
        const inLanes = (plan: typeof installed, lanes: number) => runInLanes(plan, { cluster, lanes, runDir: outDir, reporters, onResult: () => {} });
        const results = [
          ...(await inLanes(interleavedByClient(installed.filter((s) => s.client !== ONE_AT_A_TIME_CLIENT)), LANES)),
          ...(await inLanes(installed.filter((s) => s.client === ONE_AT_A_TIME_CLIENT), 1)),
        ];
        for (const result of results) byName.set(result.name, result);
        subsetResults.push(...results);
      }, SUBSET_TIMEOUT_MS);

      for (const scenario of DOCKER_SEED_SUBSET) {
        if (!isClientInstalled(scenario.client)) {
          test.skip(`${scenario.name}: skipped, client ${scenario.client} is not installed (${installHint(scenario.client!)})`, () => {});
          continue;
        }
        test(`${scenario.name} holds the expectations pinned on the local backend`, () => {
          const result = byName.get(scenario.name)!;
          const failing = result.expectations.filter((e) => !e.pass).map((e) => `${e.count} ${e.op} ${e.value}, actual ${e.actual}`);
          expect({ verdict: result.verdict, error: result.error, failing }).toEqual({ verdict: 'pass', error: undefined, failing: [] });
          expect(result.counts.attempted).toBe(scenario.workload.messages);
        });
      }
    });

    test('stop() removes every container and the network this process made', async () => {
      await cluster.stop();
      expect(ownedByUs()).toEqual([]);
    }, SCENARIO_TIMEOUT_MS);
  });
}
