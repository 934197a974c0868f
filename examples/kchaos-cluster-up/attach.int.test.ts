/**
 * A team that keeps a cluster up between test runs (`kchaos cluster up` in another terminal) and
 * runs `KCHAOS_CLUSTER='<the JSON it printed>' npm test`: the preset's global setup attaches to
 * that cluster instead of starting one, and never stops it. Here the harness's own shared test
 * cluster plays the part of the `kchaos cluster up` one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useSharedCluster } from '../../jest-preset';
import globalSetup, { PRESET_STATE_KEY, PresetState } from '../../jest-preset/global-setup';
import globalTeardown from '../../jest-preset/global-teardown';

// Exactly the fields `kchaos cluster up` prints (describeCluster), no more.
const harnessCluster = JSON.parse(process.env.KCHAOS_TEST_CLUSTER ?? '{}');
process.env.KCHAOS_CLUSTER = JSON.stringify({
  directBootstrap: harnessCluster.directBootstrap,
  proxiedBootstrap: harnessCluster.proxiedBootstrap,
  toxiproxy: harnessCluster.toxiproxy,
  brokers: harnessCluster.brokers,
});
delete process.env.KCHAOS_RUN_DIR;

const kafka = useSharedCluster();
// A scenario takes 10-30 s (jest's default test timeout is 5 s; the preset sets 120 s for the whole run).
const SCENARIO_TIMEOUT_MS = 90_000;

test("the preset's global setup attaches to the cluster in KCHAOS_CLUSTER, and its teardown leaves that cluster up", async () => {
  const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-preset-'));
  const given = process.env.KCHAOS_CLUSTER;
  await globalSetup(undefined, { rootDir });
  const state = (globalThis as unknown as Record<string, PresetState>)[PRESET_STATE_KEY];
  expect(state.started).toBeUndefined(); // attached, did not start a cluster
  expect(process.env.KCHAOS_CLUSTER).toBe(given);
  expect(process.env.KCHAOS_RUN_DIR).toMatch(new RegExp(`^${rootDir}/runs/jest-`));
  expect(fs.existsSync(process.env.KCHAOS_RUN_DIR as string)).toBe(true);

  await globalTeardown();
  expect(process.env.KCHAOS_RUN_DIR).toBeUndefined(); // it set that one, so it removes it
  expect(process.env.KCHAOS_CLUSTER).toBe(given); // the team's variable stays
  expect(kafka.cluster.backend).toBe('external');
  expect((await kafka.cluster.toxiproxy.getAll()).k1).toBeDefined(); // still up
  fs.rmSync(rootDir, { recursive: true, force: true });
}, SCENARIO_TIMEOUT_MS);

test('a scenario runs on the attached cluster', async () => {
  const result = await kafka.run({ name: 'examples/kchaos-cluster-up/kafkajs/no-fault', client: 'kafkajs', workload: { messages: 60 } });
  expect(result.error).toBeUndefined();
  expect(result).toDeliverEverything();
  expect(result).toLoseNoAcknowledgedMessages();
}, SCENARIO_TIMEOUT_MS);
