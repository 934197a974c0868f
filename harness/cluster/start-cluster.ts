import { HarnessError } from '../errors';
import { LocalClusterOptions, startLocalCluster } from './local-cluster';
import type { BackendName, StartedCluster } from './started-cluster';

export interface BackendOptions extends LocalClusterOptions {
  /** @default KCHAOS_BACKEND, else 'local' */
  backend?: BackendName;
}

/** Starts a cluster on the chosen backend (`--backend` or KCHAOS_BACKEND). */
export async function startCluster(options: BackendOptions = {}): Promise<StartedCluster> {
  const backend = options.backend ?? (process.env.KCHAOS_BACKEND as BackendName | undefined) ?? 'local';
  if (backend === 'local') return startLocalCluster(options);
  throw new HarnessError(`backend ${JSON.stringify(backend)} is not available in this build`, { hint: 'use --backend local (the default)' });
}
