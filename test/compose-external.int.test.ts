import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { installHint, isClientInstalled } from '../harness/clients/installed-clients';
import { COMPOSE_PORTS } from '../harness/cluster/docker-definitions';
import { dockerEngineAnswersSync } from '../harness/cluster/start-cluster';
import { TopicAdmin } from '../harness/cluster/topic-admin';
import { waitUntil } from '../harness/cluster/wait-until';
import { KAFKA_IMAGE_ENV, localKafkaImage, localToxiproxyImage, TOXIPROXY_IMAGE_ENV } from '../harness/docker-images/image-names';
import type { ScenarioResult } from '../reports/results-types';
import { existingVolumes, findComposeTool, mountedVolumes, orphanTestProjects, projectObjects } from './compose-tool';
import { compareTable, readMeasured } from './docker-compare-with-local';
import { testRunDir } from './shared-cluster';

// docker-compose.yml brought up by a compose tool, then driven like any cluster the harness did not
// start: `kchaos run … --backend external`. The same pins as the local backend must hold, and
// `down -v` must leave no container, network or volume of the project.
const ENGINE = dockerEngineAnswersSync();
const COMPOSE = ENGINE ? findComposeTool() : undefined;
const ROOT = path.resolve(__dirname, '..');
/** bin/kchaos.cjs runs the sources with tsx in its own process (the tsx CLI would add a grandchild). */
const KCHAOS_BIN = path.join(ROOT, 'bin', 'kchaos.cjs');
const PROJECT_PREFIX = 'kchaos-compose-test-';
const PROJECT = `${PROJECT_PREFIX}${process.pid}`;
const DIRECT = COMPOSE_PORTS.brokers.map((b) => `127.0.0.1:${b.direct}`).join(',');
const TOXIPROXY = `http://127.0.0.1:${COMPOSE_PORTS.toxiproxyApi}`;
/** Three Kafka containers on two shared cores (the docker backend's start timeout). */
const UP_TIMEOUT_MS = 300_000;

/**
 * Two rows: a no-fault control and the seed's finding (hashing, blackhole k1, library only), with
 * node-rdkafka (always installed; its loss there is exact: 100). This test is about the compose
 * file and the external backend; every client's rows run on the docker backend's own test.
 */
const SUBSET_CLIENT = 'node-rdkafka';
const SUBSET = [`seed/${SUBSET_CLIENT}/round-robin/library-only/no-fault`, `seed/${SUBSET_CLIENT}/hashing/library-only/blackhole-k1`];

interface Exec { code: number | null; stdout: string; stderr: string }
function exec(argv: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = UP_TIMEOUT_MS): Promise<Exec> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const portFree = (port: number) => new Promise<boolean>((resolve) => {
  const server = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
});
const pidAlive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** KCHAOS_KAFKA_IMAGE / KCHAOS_TOXIPROXY_IMAGE when set, else the offline build when the engine has it (else the file's public defaults). */
function composeEnv(): NodeJS.ProcessEnv {
  const has = (image: string) => spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 20_000 }).status === 0;
  const env = { ...process.env };
  if (!env[KAFKA_IMAGE_ENV] && has(localKafkaImage())) env[KAFKA_IMAGE_ENV] = localKafkaImage();
  if (!env[TOXIPROXY_IMAGE_ENV] && has(localToxiproxyImage())) env[TOXIPROXY_IMAGE_ENV] = localToxiproxyImage();
  return env;
}

if (!ENGINE) {
  test.skip('docker-compose.yml with --backend external: skipped — no Docker engine answers on this machine (`docker info` failed or took over 2 s)', () => {});
} else if (!COMPOSE) {
  test.skip('docker-compose.yml with --backend external: skipped — no compose tool (neither `docker compose` nor `docker-compose` answers `version`)', () => {});
} else {
  const compose = (args: string[], env?: NodeJS.ProcessEnv) => exec([...COMPOSE.argv, '-p', PROJECT, '-f', path.join(ROOT, 'docker-compose.yml'), ...args], env);
  const outDir = path.join(testRunDir(), 'compose-external');
  const env = composeEnv();

  describe(`docker-compose.yml brought up by ${COMPOSE.argv.join(' ')} ${COMPOSE.version} (${env[KAFKA_IMAGE_ENV] ?? 'apache/kafka'}, ${env[TOXIPROXY_IMAGE_ENV] ?? 'ghcr.io/shopify/toxiproxy'}), driven with --backend external`, () => {
    let mounted: string[] = [];
    let down: Exec | undefined;

    beforeAll(async () => {
      // A jest SIGKILLed mid-run left its project up (the owner-pid reaper knows only the backends' own containers).
      for (const orphan of orphanTestProjects(PROJECT_PREFIX, pidAlive)) {
        await exec([...COMPOSE.argv, '-p', orphan, '-f', path.join(ROOT, 'docker-compose.yml'), 'down', '-v', '--remove-orphans']);
      }
      const ports = [COMPOSE_PORTS.toxiproxyApi, ...COMPOSE_PORTS.brokers.flatMap((b) => [b.direct, b.proxy])];
      const taken = [];
      for (const port of ports) if (!(await portFree(port))) taken.push(port);
      if (taken.length > 0) throw new Error(`docker-compose.yml publishes fixed ports and 127.0.0.1:${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} taken: stop what listens there (\`ss -ltnp\`), e.g. another \`docker compose up\` of this file`);

      const startedAtMs = Date.now();
      const up = await compose(['up', '-d'], env);
      expect({ code: up.code, stderr: up.code === 0 ? '' : up.stderr }).toEqual({ code: 0, stderr: '' });
      const admin = new TopicAdmin(DIRECT, [], { retries: 0 });
      try {
        await waitUntil('three registered, unfenced brokers of the compose cluster', async () => ((await admin.liveBrokerIds()).length === 3 ? true : undefined), { timeoutMs: UP_TIMEOUT_MS, intervalMs: 1000 });
      } finally {
        await admin.close();
      }
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, 'compose-up.json'), JSON.stringify({ tool: COMPOSE.argv.join(' '), version: COMPOSE.version, kafkaImage: env[KAFKA_IMAGE_ENV], toxiproxyImage: env[TOXIPROXY_IMAGE_ENV], readyMs: Date.now() - startedAtMs }));
      mounted = mountedVolumes(projectObjects(PROJECT).containers);
    }, UP_TIMEOUT_MS + 60_000);

    afterAll(async () => {
      down ??= await compose(['down', '-v', '--remove-orphans']);
    }, 120_000);

    test('the project is four containers on one network, every port published on 127.0.0.1 only', () => {
      const objects = projectObjects(PROJECT);
      expect(objects.containers).toHaveLength(4);
      expect(objects.networks).toHaveLength(1);
      const bindings = spawnSync('docker', ['inspect', '--format', '{{json .HostConfig.PortBindings}}', ...objects.containers], { encoding: 'utf8' }).stdout
        .split('\n').filter(Boolean).flatMap((line: string) => Object.values(JSON.parse(line) as Record<string, Array<{ HostIp: string }>>).flat());
      expect(bindings.length).toBe(7); // 3 DIRECT + Toxiproxy API + 3 proxies
      expect(bindings.every((b: { HostIp: string }) => b.HostIp === '127.0.0.1')).toBe(true);
    });

    const runRows = isClientInstalled(SUBSET_CLIENT) ? test : test.skip;
    runRows(`kchaos run ${SUBSET.join(' ')} --backend external: the local backend's pins hold${isClientInstalled(SUBSET_CLIENT) ? '' : ` (skipped: ${installHint(SUBSET_CLIENT)})`}`, async () => {
      const names = SUBSET;
      const run = await exec([process.execPath, KCHAOS_BIN, 'run', ...names, '--backend', 'external', '--bootstrap', DIRECT, '--toxiproxy', TOXIPROXY, '--out', outDir, '--reporter', 'json,console'], process.env, 600_000);
      const results = (JSON.parse(fs.readFileSync(path.join(outDir, 'latest', 'results.json'), 'utf8')) as { scenarios: ScenarioResult[] }).scenarios;
      const table = compareTable('compose', results.map((r) => ({ name: r.name, verdict: r.verdict, counts: r.counts as unknown as Record<string, number> })), readMeasured());
      fs.writeFileSync(path.join(outDir, 'seed-subset-vs-local.md'), `${table}\n`);
      process.stderr.write(`\nseed subset on docker-compose.yml (--backend external) beside the local backend's measured ranges (! = outside the local min–max):\n${table}\n`);
      expect(results.map((r) => r.name).sort()).toEqual([...names].sort());
      const failing = results.filter((r) => r.verdict !== 'pass').map((r) => `${r.name}: ${r.verdict}; ${r.expectations.filter((e) => !e.pass).map((e) => `${e.count} ${e.op} ${e.value}, actual ${e.actual}`).join('; ')}`);
      expect(failing).toEqual([]);
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });
    }, 600_000);

    test('compose down -v leaves no container, network or volume of the project (nor the anonymous volumes its Kafka containers mounted)', async () => {
      expect(mounted.length).toBeGreaterThan(0); // the Kafka image declares its data and config folders as volumes
      down = await compose(['down', '-v', '--remove-orphans']);
      expect(down.code).toBe(0);
      expect(projectObjects(PROJECT)).toEqual({ containers: [], networks: [], volumes: [] });
      expect(existingVolumes(mounted)).toEqual([]);
    }, 120_000);
  });
}
