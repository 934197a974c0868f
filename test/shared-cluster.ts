import { connectExternalCluster } from '../harness/cluster/external-cluster';
import type { StartedCluster } from '../harness/cluster/started-cluster';

export interface SharedClusterInfo {
  directBootstrap: string;
  proxiedBootstrap: string;
  toxiproxy: string;
  brokers: Array<{ id: number; direct: string; proxied: string }>;
  kafkaVersion: string;
  workDir: string;
  brokerPids: Record<number, number>;
}

export function sharedClusterInfo(): SharedClusterInfo {
  const raw = process.env.KCHAOS_TEST_CLUSTER;
  if (!raw) throw new Error('no shared cluster: run integration tests through jest (test/global-setup.ts starts it)');
  return JSON.parse(raw) as SharedClusterInfo;
}

/** The cluster global setup started, attached to like an external one (it is stopped by teardown). */
export async function attachSharedCluster(): Promise<StartedCluster> {
  const info = sharedClusterInfo();
  const cluster = await connectExternalCluster({ ...info }, 'local');
  return { ...cluster, kafkaVersion: info.kafkaVersion, workDir: info.workDir, brokerPids: info.brokerPids,
    brokers: cluster.brokers.map((b) => ({ ...b, direct: info.brokers.find((i) => i.id === b.id)?.direct ?? '' })) };
}

export function testRunDir(): string {
  return process.env.KCHAOS_TEST_RUN_DIR ?? 'runs/test';
}
