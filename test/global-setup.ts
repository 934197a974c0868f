import path from 'node:path';
import { startLocalCluster } from '../harness/cluster/local-cluster';
import { describeCluster } from '../harness/cluster/started-cluster';
import { stopOnInterrupt } from '../harness/process/stop-on-interrupt';
import { createRunFolder, newRunId } from '../harness/run-folder';

/**
 * One real cluster for the whole integration run. Test files run in their own module registry, so
 * they get its addresses through an environment variable and attach to it (test/shared-cluster.ts).
 */
export default async function globalSetup(): Promise<void> {
  const runDir = createRunFolder('runs', `test-${newRunId()}`); // runs/latest points here, as after kchaos run
  // Two client lanes: test/lanes.int.test.ts runs two scenarios at once on them. Lane 1 is the
  // cluster every other test uses, unchanged (PROXIED behind k1, k2, k3); lane 2 only adds an idle
  // PROXIED_L2 listener per broker and proxies k<id>-lane2.
  const cluster = await startLocalCluster({ workDir: path.join(runDir, 'cluster'), lanes: 2, log: (line) => process.stderr.write(`\n${line}`) });
  (globalThis as Record<string, unknown>).__KCHAOS_TEST_CLUSTER__ = cluster;
  // Ctrl-C or SIGTERM to jest, or to `npm test`, stops the cluster before jest exits (test/jest-signal*.test.ts).
  (globalThis as Record<string, unknown>).__KCHAOS_TEST_CLUSTER_HOOK__ = stopOnInterrupt(() => cluster.stop());
  process.env.KCHAOS_TEST_RUN_DIR = runDir;
  process.env.KCHAOS_TEST_CLUSTER = JSON.stringify({
    ...describeCluster(cluster),
    kafkaVersion: cluster.kafkaVersion,
    workDir: cluster.workDir,
    brokerPids: cluster.brokerPids,
  });
}
