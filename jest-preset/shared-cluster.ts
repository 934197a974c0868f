import { connectExternalCluster } from '../harness/cluster/external-cluster';
import type { BackendName, StartedCluster } from '../harness/cluster/started-cluster';
import { HarnessError } from '../harness/errors';

/**
 * How a jest run shares one cluster: global setup puts its addresses (the JSON `kchaos cluster up`
 * prints, plus a few fields) in an environment variable; every test file attaches to it.
 */

/** In: a running cluster to attach to (`kchaos cluster up` output). Out: the cluster the preset started. */
export const CLUSTER_ENV = 'KCHAOS_CLUSTER';
/** The test run's folder; scenarios write `scenarios/<slug>/` inside it. */
export const RUN_DIR_ENV = 'KCHAOS_RUN_DIR';
/** Parent folder of run folders. @default <rootDir>/runs */
export const OUT_DIR_ENV = 'KCHAOS_OUT';
/** What the harness's own integration tests use (test/global-setup.ts); read as a fallback. */
const HARNESS_TEST_CLUSTER_ENV = 'KCHAOS_TEST_CLUSTER';
const HARNESS_TEST_RUN_DIR_ENV = 'KCHAOS_TEST_RUN_DIR';

export interface SharedClusterInfo {
  directBootstrap: string;
  proxiedBootstrap?: string;
  toxiproxy: string;
  brokers?: Array<{ id: number; direct: string; proxied: string }>;
  kafkaVersion?: string;
  workDir?: string;
  brokerPids?: Record<number, number>;
  /** 'local' when the preset (or the harness's own test setup) started it; else it is external. */
  backend?: BackendName;
}

const EXAMPLE = '{"directBootstrap":"127.0.0.1:9092,…","toxiproxy":"http://127.0.0.1:8474",…} (what `kchaos cluster up` prints)';

/** Parses and checks the JSON in `variable`; one error saying what is wrong and what to put there. */
export function parseClusterInfo(raw: string, variable = CLUSTER_ENV): SharedClusterInfo {
  let info: SharedClusterInfo;
  try {
    info = JSON.parse(raw);
  } catch (error) {
    throw new HarnessError(`${variable} is not JSON: ${(error as Error).message}`, { hint: `set it to ${EXAMPLE}` });
  }
  if (!info || typeof info !== 'object') throw new HarnessError(`${variable} is not a JSON object`, { hint: `set it to ${EXAMPLE}` });
  for (const field of ['directBootstrap', 'toxiproxy'] as const) {
    if (typeof info[field] !== 'string' || !info[field]) throw new HarnessError(`${variable} has no ${field}`, { hint: `set it to ${EXAMPLE}` });
  }
  return info;
}

/** The shared cluster's addresses from the environment, or undefined when there is none. */
export function sharedClusterInfo(env: NodeJS.ProcessEnv = process.env): SharedClusterInfo | undefined {
  if (env[CLUSTER_ENV]) return parseClusterInfo(env[CLUSTER_ENV] as string, CLUSTER_ENV);
  if (env[HARNESS_TEST_CLUSTER_ENV]) return parseClusterInfo(env[HARNESS_TEST_CLUSTER_ENV] as string, HARNESS_TEST_CLUSTER_ENV);
  return undefined;
}

/** The run folder global setup chose, if any. */
export function sharedRunDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[RUN_DIR_ENV] || env[HARNESS_TEST_RUN_DIR_ENV] || undefined;
}

/**
 * Attaches to a running cluster through its Toxiproxy API and DIRECT listeners. `stop()` only
 * closes this attachment's connections; the cluster stays up for the other test files.
 */
export async function attachCluster(info: SharedClusterInfo): Promise<StartedCluster> {
  const backend: BackendName = info.backend ?? (info.brokerPids ? 'local' : 'external');
  const cluster = await connectExternalCluster({ directBootstrap: info.directBootstrap, proxiedBootstrap: info.proxiedBootstrap, toxiproxy: info.toxiproxy, kafkaVersion: info.kafkaVersion }, backend);
  return {
    ...cluster,
    workDir: info.workDir ?? cluster.workDir,
    brokerPids: info.brokerPids,
    brokers: cluster.brokers.map((b) => ({ ...b, direct: info.brokers?.find((i) => i.id === b.id)?.direct ?? b.direct })),
  };
}
