import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { connectExternalCluster } from '../harness/cluster/external-cluster';
import { startCluster } from '../harness/cluster/start-cluster';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { EXIT_USAGE_OR_SETUP } from '../harness/errors';
import { runScenario } from '../harness/run-scenario';
import { defineScenario } from '../scenarios/define-scenario';
import { sharedClusterInfo, testRunDir } from './shared-cluster';

// The shared cluster of global setup, used as if it were someone else's (e.g. docker-compose.yml's):
// all the external backend gets is its DIRECT bootstrap and its Toxiproxy API. Nothing here starts
// or stops brokers; stop() only closes the harness's own connections.
const CLI = path.resolve(__dirname, '../harness/cli.ts');
const TSX = require.resolve('tsx/cli');
const SCENARIO_TIMEOUT_MS = 90_000;

const info = sharedClusterInfo();

test('--backend external attaches through the DIRECT bootstrap and the Toxiproxy API, and stop() leaves the cluster up', async () => {
  const cluster = await startCluster({ backend: 'external', bootstrap: info.directBootstrap, toxiproxy: info.toxiproxy, proxyMap: { 1: 'k1', 2: 'k2', 3: 'k3' }, log: () => {} });
  try {
    expect(cluster.backend).toBe('external');
    expect(cluster.kafkaVersion).toBe('unknown'); // not ours to claim
    expect(cluster.brokers.map((b) => [b.id, b.name, b.proxy.name])).toEqual([[1, 'k1', 'k1'], [2, 'k2', 'k2'], [3, 'k3', 'k3']]);
    // Proxy addresses as Toxiproxy reports them: exactly what the brokers advertise on PROXIED.
    expect(cluster.proxiedBootstrap).toBe(info.proxiedBootstrap);
  } finally {
    await cluster.stop();
  }
  const admin = new Kafka({ clientId: 'external-test', brokers: info.directBootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  expect((await admin.describeCluster()).brokers).toHaveLength(3);
  await admin.disconnect();
}, SCENARIO_TIMEOUT_MS);

test('a short scenario runs through the external backend (refuse k1) and its counts add up', async () => {
  let cluster: StartedCluster | undefined;
  try {
    cluster = await connectExternalCluster({ directBootstrap: info.directBootstrap, toxiproxy: info.toxiproxy });
    const scenario = defineScenario({ name: 'external/kafkajs/refuse-k1', client: 'kafkajs', faults: [{ kind: 'refuse', target: 'k1' }], workload: { messages: 100 }, expect: { lostAcked: 0 } });
    const result = await runScenario(scenario, { cluster, runDir: path.join(testRunDir(), 'external-backend') });
    const c = result.counts;
    expect(result.error).toBeUndefined();
    expect(result.verdict).toBe('pass');
    expect(c.attempted).toBe(100);
    expect(c.acked + c.failed + c.indeterminate).toBe(c.attempted); // library-only: one outcome per seq
    expect(c.lostAcked).toBe(0);
    expect(c.unexpected).toBe(0);
    expect(c.observed).toBe(c.acked - c.lostAcked + c.deliveredDespiteError);
    expect(c.undelivered).toBe(c.attempted - c.observed);
    expect(c.deliveredDespiteError).toBeLessThanOrEqual(c.failed + c.indeterminate);
    // k1 was refused from the start and leads partition 0: the library-only producer cannot deliver everything.
    expect(c.failed + c.indeterminate).toBeGreaterThan(0);
    expect(c.acked).toBeGreaterThan(0);
    expect(result.faults.map((f) => [f.kind, f.target])).toEqual([['refuse', 'k1']]);
  } finally {
    await cluster?.resetProxies();
    await cluster?.stop();
  }
}, SCENARIO_TIMEOUT_MS);

test('kchaos run --backend external without --bootstrap: exit 2, a message naming --bootstrap, no run folder', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-external-'));
  const out = path.join(cwd, 'out');
  const env = { ...process.env };
  delete env.KCHAOS_BACKEND;
  const run = spawnSync(process.execPath, [TSX, CLI, 'run', 'seed', '--backend', 'external', '--out', out], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  expect(run.status).toBe(EXIT_USAGE_OR_SETUP);
  expect(run.stderr).toMatch(/--backend external needs --bootstrap/);
  expect(fs.existsSync(out)).toBe(false);
  fs.rmSync(cwd, { recursive: true, force: true });
}, SCENARIO_TIMEOUT_MS);
