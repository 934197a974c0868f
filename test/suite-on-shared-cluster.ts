import type { StartedCluster } from '../harness/cluster/started-cluster';
import { runScenario } from '../harness/run-scenario';
import type { Scenario } from '../scenarios/scenario';
import { createReporters, ReporterName } from '../reports/registry';
import { createReporterFanout } from '../reports/reporter-fanout';
import type { RunResults, ScenarioResult } from '../reports/results-types';
import { attachSharedCluster, sharedClusterInfo, testRunDir } from './shared-cluster';

export interface SuiteRunOptions {
  /** The run id results.json shows. */
  id: string;
  suite: string;
  /** How many scenarios make the run complete. */
  total: number;
  reporters: ReporterName[];
  /** Where the reports go. @default testRunDir() */
  outDir?: string;
}

/**
 * A suite's scenarios as jest tests on the shared cluster: attached before the first test; `run`
 * runs one scenario and asserts it passed with every message attempted; after the last test,
 * detached and the run's reports written from the results (none when every test was skipped).
 */
export function suiteOnSharedCluster(options: SuiteRunOptions): { run: (scenario: Scenario) => Promise<ScenarioResult> } {
  const results: ScenarioResult[] = [];
  let cluster: StartedCluster | undefined;
  const startedAt = new Date().toISOString();
  beforeAll(async () => {
    cluster = await attachSharedCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
    if (results.length === 0) return;
    const run: RunResults = {
      schemaVersion: 1,
      run: { id: options.id, startedAt, finishedAt: new Date().toISOString(), backend: 'local', kafkaVersion: sharedClusterInfo().kafkaVersion, complete: results.length === options.total, suite: options.suite },
      scenarios: results,
    };
    await createReporterFanout(createReporters(options.reporters)).onRunEnd(run, options.outDir ?? testRunDir());
  });
  const run = async (scenario: Scenario) => {
    const result = await runScenario(scenario, { cluster: cluster!, runDir: testRunDir() });
    results.push(result);
    const failing = result.expectations.filter((e) => !e.pass).map((e) => `${e.count} ${e.op} ${e.value}, actual ${e.actual}`);
    expect({ verdict: result.verdict, error: result.error, failing }).toEqual({ verdict: 'pass', error: undefined, failing: [] });
    expect(result.counts.attempted).toBe(scenario.workload.messages);
    return result;
  };
  return { run };
}
