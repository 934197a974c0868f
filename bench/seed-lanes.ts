import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { sendingLimit } from '../harness/lanes/parallel-option';
import { runInLanes } from '../harness/lanes/run-in-lanes';
import { runScenario } from '../harness/run-scenario';
import type { ScenarioResult } from '../reports/results-types';
import type { Scenario } from '../scenarios/scenario';

/** Lanes the bench's cluster gets for the seed part: what `kchaos run` uses by default here. */
export { defaultParallel as seedBenchLanes } from '../harness/lanes/parallel-option';

type Record = (key: string, value: number | string) => void;

const load1 = () => os.loadavg()[0];

/**
 * The seed suite twice on one cluster, in one bench run: one scenario at a time (what `kchaos run
 * --parallel 1` does, the way the pins were measured), then in `lanes` lanes at once; records both
 * times, the 1-minute load average around each, and whether every scenario got the same verdict.
 * The verdicts of both runs go to seed-lanes-verdicts.json in the run folder.
 */
export async function measureSeedLanes(cluster: StartedCluster, runDir: string, seed: Scenario[], lanes: number, record: Record): Promise<void> {
  const sequentialDir = path.join(runDir, 'seed-sequential');
  const parallelDir = path.join(runDir, 'seed-parallel');
  fs.mkdirSync(sequentialDir, { recursive: true });
  fs.mkdirSync(parallelDir, { recursive: true });

  record('seedSuiteLoadAvg1.sequentialStart', load1());
  let started = performance.now();
  const sequential: ScenarioResult[] = [];
  for (const scenario of seed) sequential.push(await runScenario(scenario, { cluster, runDir: sequentialDir }));
  const sequentialMs = performance.now() - started;
  record('seedSuiteMs', sequentialMs); // the key earlier bench.json files have: the sequential run
  record('seedSuiteMs.sequential', sequentialMs);
  record('seedSuiteLoadAvg1.sequentialEnd', load1());

  const quiet = { onScenarioStart: () => {}, onScenarioPhase: () => {}, onScenarioEnd: () => {} };
  const sending = sendingLimit();
  started = performance.now();
  const parallel = await runInLanes(seed, { cluster, lanes, sending, runDir: parallelDir, reporters: quiet, onResult: () => {} });
  record('seedSuiteMs.parallel', performance.now() - started);
  record('seedSuiteLoadAvg1.parallelEnd', load1());
  const lanesUsed = Math.min(lanes, cluster.lanes?.length ?? 1);
  record('seedSuiteParallelLanes', lanesUsed);
  record('seedSuiteParallelSending', Math.min(lanesUsed, sending)); // runInLanes caps it at the lanes
  record('seedSuiteSpeedup', sequentialMs / (performance.now() - started));

  const verdicts = seed.map((s, i) => ({ name: s.name, sequential: sequential[i].verdict, parallel: parallel[i].verdict }));
  const differing = verdicts.filter((v) => v.sequential !== v.parallel);
  record('seedSuiteScenarios', seed.length);
  record('seedSuiteVerdictsSame', seed.length - differing.length);
  record('seedSuitePassed.sequential', verdicts.filter((v) => v.sequential === 'pass').length);
  record('seedSuitePassed.parallel', verdicts.filter((v) => v.parallel === 'pass').length);
  record('seedSuiteVerdictsDiffering', differing.map((v) => `${v.name}: ${v.sequential} → ${v.parallel}`).join('; ') || 'none');
  fs.writeFileSync(path.join(runDir, 'seed-lanes-verdicts.json'), `${JSON.stringify({ lanes, verdicts }, null, 2)}\n`);
}
