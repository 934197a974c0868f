import path from 'node:path';
import { startCluster } from '../harness/cluster/start-cluster';
import { describeCluster, StartedCluster } from '../harness/cluster/started-cluster';
import { stopOnInterrupt } from '../harness/process/stop-on-interrupt';
import { createRunFolder, newRunId } from '../harness/run-folder';
import { attachCluster, CLUSTER_ENV, OUT_DIR_ENV, parseClusterInfo, RUN_DIR_ENV, SharedClusterInfo } from './shared-cluster';

/** Where global setup keeps what global teardown must undo (same process, separate module registries). */
export const PRESET_STATE_KEY = '__KCHAOS_PRESET_STATE__';

export interface PresetState {
  /** The cluster this setup started; undefined when it attached to one given in KCHAOS_CLUSTER. */
  started?: StartedCluster;
  /** Variables this setup set, removed again by teardown (so a watch-mode re-run starts afresh). */
  setEnv: string[];
  /** Removes what stops `started` when jest, or the npm that started it, is interrupted. */
  removeShutdownHook?: () => void;
}

function state(): Record<string, PresetState | undefined> {
  return globalThis as unknown as Record<string, PresetState | undefined>;
}

/**
 * jest globalSetup of the preset: one cluster for the whole test run.
 * - KCHAOS_CLUSTER set (the JSON `kchaos cluster up` prints, or the cluster an earlier project of
 *   this run started): checks that it answers and uses it; it is never stopped by us.
 * - otherwise: starts a local cluster (about 10 s; the first run also fetches Kafka and builds
 *   Toxiproxy) and publishes its addresses in KCHAOS_CLUSTER for the test files.
 * Either way KCHAOS_RUN_DIR names the run folder (`<rootDir>/runs/jest-<id>/`, or under KCHAOS_OUT).
 */
export default async function globalSetup(_globalConfig?: unknown, projectConfig?: { rootDir?: string }): Promise<void> {
  const setEnv: string[] = [];
  const outDir = process.env[OUT_DIR_ENV] || path.join(projectConfig?.rootDir ?? process.cwd(), 'runs');
  if (!process.env[RUN_DIR_ENV]) {
    process.env[RUN_DIR_ENV] = createRunFolder(outDir, `jest-${newRunId()}`);
    setEnv.push(RUN_DIR_ENV);
  }
  const runDir = process.env[RUN_DIR_ENV] as string;

  const given = process.env[CLUSTER_ENV];
  if (given) {
    // Fail here, once, with the reason, rather than in every test file.
    const attached = await attachCluster(parseClusterInfo(given, CLUSTER_ENV));
    await attached.stop();
    state()[PRESET_STATE_KEY] ??= { setEnv };
    return;
  }

  const cluster = await startCluster({ workDir: path.join(runDir, 'cluster'), log: (line) => process.stderr.write(`\n${line}`) });
  const info: SharedClusterInfo = {
    ...describeCluster(cluster),
    kafkaVersion: cluster.kafkaVersion,
    workDir: cluster.workDir,
    brokerPids: cluster.brokerPids,
    backend: cluster.backend,
  };
  process.env[CLUSTER_ENV] = JSON.stringify(info);
  setEnv.push(CLUSTER_ENV);
  // Ctrl-C or SIGTERM to jest (this process), or to the npm that started it, stops the cluster
  // before jest exits, whatever the backend: the local one's brokers, the docker one's containers.
  const removeShutdownHook = stopOnInterrupt(() => cluster.stop());
  state()[PRESET_STATE_KEY] = { started: cluster, setEnv, removeShutdownHook };
}
