import type { StartedCluster } from '../harness/cluster/started-cluster';
import { runScenario } from '../harness/run-scenario';
import { createReporters } from '../reports/registry';
import { createReporterFanout } from '../reports/reporter-fanout';
import type { RunResults, ScenarioResult } from '../reports/results-types';
import { SUITES } from '../scenarios/suites';
import { recheckFromDisk, recheckedPart } from './offline-recheck';
import { attachSharedCluster, sharedClusterInfo, testRunDir } from './shared-cluster';

// The seed suite as jest tests on the shared cluster: one test per scenario, the verdict asserted,
// its archived files re-checked offline (as `kchaos check` would) to the same counts, and the run's
// reports (results.json, junit.xml, report.html) written at the end.
const scenarios = SUITES.seed();
const results: ScenarioResult[] = [];
let cluster: StartedCluster;
const startedAt = new Date().toISOString();

beforeAll(async () => {
  cluster = await attachSharedCluster();
});

afterAll(async () => {
  await cluster?.stop();
  const run: RunResults = {
    schemaVersion: 1,
    run: { id: 'seed-suite-test', startedAt, finishedAt: new Date().toISOString(), backend: 'local', kafkaVersion: sharedClusterInfo().kafkaVersion, complete: results.length === scenarios.length, suite: 'seed' },
    scenarios: results,
  };
  await createReporterFanout(createReporters(['json', 'junit', 'html'])).onRunEnd(run, testRunDir());
});

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
  test('holds its expectations', async () => {
    const result = await runScenario(scenario, { cluster, runDir: testRunDir() });
    results.push(result);
    const failing = result.expectations.filter((e) => !e.pass).map((e) => `${e.count} ${e.op} ${e.value}, actual ${e.actual}`);
    expect({ verdict: result.verdict, error: result.error, failing }).toEqual({ verdict: 'pass', error: undefined, failing: [] });
    expect(result.counts.attempted).toBe(scenario.workload.messages);
    // What results.json will hold for it is what its history.jsonl + observed.jsonl give offline.
    expect(await recheckFromDisk(testRunDir(), result, scenario.expect)).toEqual(recheckedPart(result));
  }, 90_000);
});
