/**
 * kafka-chaos-harness/jest-preset: use the harness inside a team's own `npm test`.
 *
 *   // jest.config.js
 *   module.exports = { preset: 'kafka-chaos-harness/jest-preset' };
 *
 *   // producer.int.test.ts
 *   import { useSharedCluster } from 'kafka-chaos-harness/jest-preset';
 *   const kafka = useSharedCluster();
 *   test('our producer survives k1 being cut off', async () => {
 *     const result = await kafka.run({ name: 'team/k1-down', producer: { module: './src/producer.ts' },
 *       faults: [{ kind: 'blackhole', target: 'k1' }] });
 *     expect(result).toLoseNoAcknowledgedMessages();
 *     expect(result).toDeliverEverything();
 *   });
 */
import { createRunFolder, newRunId } from '../harness/run-folder';
import { HarnessError } from '../harness/errors';
import { runScenario, ScenarioRunResult } from '../harness/index';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import type { Scenario, ScenarioInput } from '../scenarios/scenario';
import { attachCluster, CLUSTER_ENV, sharedClusterInfo, sharedRunDir } from './shared-cluster';

export { kchaosMatchers, FIRST_SEQS_SHOWN } from './matchers';
export type { KchaosMatchers } from './matchers';
export { attachCluster, sharedClusterInfo, sharedRunDir, parseClusterInfo, CLUSTER_ENV, RUN_DIR_ENV, OUT_DIR_ENV } from './shared-cluster';
export type { SharedClusterInfo } from './shared-cluster';
export type { ScenarioRunResult } from '../harness/index';

/** How long beforeAll may take to attach to the shared cluster. @default 30000 */
export const DEFAULT_ATTACH_TIMEOUT_MS = 30_000;

export interface SharedCluster {
  /** The attached cluster; available in tests and in hooks after useSharedCluster's beforeAll. */
  readonly cluster: StartedCluster;
  /** The test run's folder (KCHAOS_RUN_DIR); each scenario writes `scenarios/<slug>/` in it. */
  readonly runDir: string;
  /** defineScenario + runScenario on the shared cluster, in the run folder. */
  run(scenario: ScenarioInput | Scenario, options?: { onPhase?: (phase: string) => void }): Promise<ScenarioRunResult>;
}

/**
 * Attaches the calling test file to the cluster the preset's global setup started (or was given in
 * KCHAOS_CLUSTER): registers a beforeAll that attaches and an afterAll that detaches (the cluster
 * itself stays up for the other files; global teardown stops it). Call it at the top of a test
 * file or a describe block.
 */
export function useSharedCluster(options: { attachTimeoutMs?: number } = {}): SharedCluster {
  let cluster: StartedCluster | undefined;
  let runDir: string | undefined;

  beforeAll(async () => {
    const info = sharedClusterInfo();
    if (!info) {
      throw new HarnessError(`no shared cluster: ${CLUSTER_ENV} is not set`, {
        hint: "use the preset (jest.config: preset: 'kafka-chaos-harness/jest-preset'), whose global setup starts one, or set KCHAOS_CLUSTER to the JSON `kchaos cluster up` prints",
      });
    }
    cluster = await attachCluster(info);
  }, options.attachTimeoutMs ?? DEFAULT_ATTACH_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.resetProxies().catch(() => {});
    await cluster?.stop();
    cluster = undefined;
  });

  const shared: SharedCluster = {
    get cluster() {
      if (!cluster) throw new HarnessError('the shared cluster is not attached yet', { hint: "use it inside test() or a hook: useSharedCluster's beforeAll attaches it" });
      return cluster;
    },
    get runDir() {
      runDir ??= sharedRunDir() ?? createRunFolder('runs', `jest-${newRunId()}`);
      return runDir;
    },
    run(scenario, runOptions = {}) {
      return runScenario(scenario, { cluster: shared.cluster, runDir: shared.runDir, onPhase: runOptions.onPhase });
    },
  };
  return shared;
}
