import type { StartedCluster } from '../cluster/started-cluster';
import { runScenario } from '../run-scenario';
import type { Reporter } from '../../reports/reporter';
import type { ScenarioResult } from '../../reports/results-types';
import type { Scenario } from '../../scenarios/scenario';
import { laneCluster } from './lane-cluster';
import { conflictKey, laneNeed } from './lane-needs';
import { LaneScheduler, Start } from './lane-scheduler';

export interface RunInLanesOptions {
  cluster: StartedCluster;
  /** How many of the cluster's lanes to use (≤ cluster.lanes.length). */
  lanes: number;
  /** How many laned scenarios may be starting or sending at once (LaneScheduler). @default lanes */
  sending?: number;
  runDir: string;
  reporters: Required<Pick<Reporter, 'onScenarioStart' | 'onScenarioPhase' | 'onScenarioEnd'>>;
  /** Every finished result, in plan order with gaps (Ctrl-C writes what has finished, in order). */
  onResult: (results: ReadonlyArray<ScenarioResult | undefined>) => void;
  /** Runs one scenario; @default runScenario */
  run?: typeof runScenario;
}

/** Progress names where a scenario runs, so interleaved lines of several lanes stay readable. */
const where = (start: Start) => (start.lane === 'exclusive' ? 'whole cluster' : `lane ${start.lane}`);

/**
 * Runs `plan` on one cluster, several scenarios at once (each in a lane of its own), scenarios
 * that need the whole cluster alone (LaneScheduler). Resolves with the results in plan order, the
 * order a sequential run gives.
 */
export async function runInLanes(plan: readonly Scenario[], options: RunInLanesOptions): Promise<ScenarioResult[]> {
  const { cluster, reporters } = options;
  const run = options.run ?? runScenario;
  const views = (cluster.lanes ?? []).slice(0, options.lanes).map((lane) => laneCluster(cluster, lane));
  const scheduler = new LaneScheduler(plan.map((s) => ({ need: laneNeed(s), key: conflictKey(s) })), views.length, Math.min(views.length, options.sending ?? views.length));
  const results: Array<ScenarioResult | undefined> = new Array(plan.length).fill(undefined);
  const running = new Map<number, Promise<number>>();
  let firstError: unknown;
  // A scenario that starts waiting on its client frees a sending slot: the loop below wakes for it.
  let wake: () => void = () => {};

  const begin = (start: Start) => {
    const scenario = plan[start.item];
    const target = start.lane === 'exclusive' ? cluster : views[start.lane - 1];
    reporters.onScenarioStart(start.item + 1, plan.length, scenario.name);
    reporters.onScenarioPhase(scenario.name, `${where(start)}${start.lane === 'exclusive' ? ` (${(laneNeed(scenario) as { reason: string }).reason})` : ''}`);
    const onWaiting = () => {
      scheduler.waiting(start.item);
      wake();
    };
    const done = run(scenario, { cluster: target, runDir: options.runDir, onPhase: (phase) => reporters.onScenarioPhase(scenario.name, `${where(start)}: ${phase}`), onWaiting })
      .then((result) => {
        results[start.item] = result;
        options.onResult(results);
        reporters.onScenarioEnd(result, start.item + 1, plan.length);
      })
      .catch((error: unknown) => {
        firstError ??= error;
      })
      .then(() => start.item);
    running.set(start.item, done);
  };

  while (!scheduler.done) {
    if (firstError === undefined) for (const start of scheduler.next()) begin(start);
    if (running.size === 0) break; // an error stopped new starts and the last one has ended
    const woken = new Promise<undefined>((resolve) => (wake = () => resolve(undefined)));
    const ended = await Promise.race([...running.values(), woken]);
    if (ended === undefined) continue;
    running.delete(ended);
    scheduler.finished(ended);
  }
  if (firstError !== undefined) throw firstError;
  return results as ScenarioResult[];
}
