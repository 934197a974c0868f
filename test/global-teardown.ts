import type { StartedCluster } from '../harness/cluster/started-cluster';

export default async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as Record<string, unknown>).__KCHAOS_TEST_CLUSTER__ as StartedCluster | undefined;
  await cluster?.stop();
}
