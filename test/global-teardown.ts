import type { StartedCluster } from '../harness/cluster/started-cluster';

export default async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as Record<string, unknown>).__KCHAOS_TEST_CLUSTER__ as StartedCluster | undefined;
  ((globalThis as Record<string, unknown>).__KCHAOS_TEST_CLUSTER_HOOK__ as (() => void) | undefined)?.();
  await cluster?.stop();
}
