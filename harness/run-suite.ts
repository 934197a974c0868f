import { startCluster, BackendOptions } from './cluster/start-cluster';
import type { StartedCluster } from './cluster/started-cluster';
import { onShutdown } from './process/child-processes';
import { createRunFolder, newRunId } from './run-folder';
import { summarizeRepeats } from './repeat-summary';
import { runScenario } from './run-scenario';
import { runInLanes } from './lanes/run-in-lanes';
import { sendingLimit, usableLanes } from './lanes/parallel-option';
import { createReporterFanout } from '../reports/reporter-fanout';
import { createReporters } from '../reports/registry';
import type { Reporter } from '../reports/reporter';
import type { RunResults, ScenarioResult } from '../reports/results-types';
import type { Scenario } from '../scenarios/scenario';

export interface RunOptions {
  /** Parent of the run folder. @default 'runs' */
  outDir?: string;
  /** Runs every scenario this many times (names get a #n suffix past the first). @default 1 */
  repeat?: number;
  /** A cluster to reuse; without one, a cluster is started and stopped for the run. */
  cluster?: StartedCluster;
  backend?: BackendOptions;
  /** @default createReporters(DEFAULT_REPORTERS) */
  reporters?: Reporter[];
  suite?: string;
  /**
   * Scenarios at once, each in a client lane of its own on one cluster (harness/lanes/); those
   * that need the whole cluster run alone. @default 1 (one after another, as always)
   */
  parallel?: number;
  /** `parallel` was asked for (--parallel): a backend with fewer lanes then says so. */
  parallelExplicit?: boolean;
}

export interface RunOutcome {
  results: RunResults;
  runDir: string;
  /** 0 every expectation held, 1 some did not (DESIGN.md exit codes). */
  exitCode: 0 | 1;
}

/** Runs scenarios one after another on one cluster and hands the results to every reporter. */
export async function runScenarios(scenarios: Scenario[], options: RunOptions = {}): Promise<RunOutcome> {
  const runId = newRunId();
  const runDir = createRunFolder(options.outDir ?? 'runs', runId);
  const reporters = createReporterFanout(options.reporters ?? createReporters());
  const repeat = Math.max(1, options.repeat ?? 1);
  const plan = scenarios.flatMap((s) => Array.from({ length: repeat }, (_, i) => (i === 0 ? s : { ...s, name: `${s.name}#${i + 1}` })));
  const results: RunResults = {
    schemaVersion: 1,
    run: { id: runId, startedAt: new Date().toISOString(), finishedAt: '', backend: 'local', kafkaVersion: '', complete: false, suite: options.suite, repeat },
    scenarios: [] as ScenarioResult[],
  };
  const finish = async (complete: boolean) => {
    results.run.finishedAt = new Date().toISOString();
    results.run.complete = complete;
    if (repeat > 1) results.repeatSummary = summarizeRepeats(results.scenarios);
    await reporters.onRunEnd(results, runDir);
  };
  // Ctrl-C: what finished so far is written, marked incomplete, before the cluster goes.
  const removeInterruptHook = onShutdown(() => finish(false));

  const parallel = Math.min(options.parallel ?? 1, Math.max(1, plan.length)); // no idle lanes
  const cluster = options.cluster ?? (await startCluster(parallel > 1 ? { ...options.backend, lanes: parallel } : options.backend));
  const lanes = usableLanes(parallel, cluster, options.parallelExplicit ?? false, options.backend?.log ?? ((line) => process.stderr.write(`${line}\n`)));
  results.run.backend = cluster.backend;
  results.run.kafkaVersion = cluster.kafkaVersion;
  try {
    reporters.onRunStart({ runId, runDir, total: plan.length });
    if (lanes > 1) {
      // Results land in plan order, whatever order the lanes finish in.
      const onResult = (done: ReadonlyArray<ScenarioResult | undefined>) => (results.scenarios = done.filter((r): r is ScenarioResult => r !== undefined));
      results.scenarios = await runInLanes(plan, { cluster, lanes, sending: sendingLimit(), runDir, reporters, onResult });
    } else for (const [i, scenario] of plan.entries()) {
      reporters.onScenarioStart(i + 1, plan.length, scenario.name);
      const result = await runScenario(scenario, { cluster, runDir, onPhase: (phase) => reporters.onScenarioPhase(scenario.name, phase) });
      results.scenarios.push(result);
      reporters.onScenarioEnd(result, i + 1, plan.length);
    }
  } finally {
    removeInterruptHook();
    if (!options.cluster) await cluster.stop();
  }
  await finish(true);
  const exitCode = results.scenarios.every((s) => s.verdict === 'pass') ? 0 : 1;
  return { results, runDir, exitCode };
}
