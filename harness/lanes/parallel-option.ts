import os from 'node:os';
import { HarnessError } from '../errors';
import type { StartedCluster } from '../cluster/started-cluster';
import { MAX_LANES } from './lane-proxies';

/**
 * @default 4 — scenarios mostly wait on the client's timeouts, not on a core: four lanes per core,
 * of which one may be starting or sending (SENDING_PER_CORE).
 */
export const LANES_PER_CORE = 4;
/** @default 8 — the default's ceiling, whatever the core count (each lane adds three broker listeners). */
export const MAX_DEFAULT_PARALLEL = 8;

/** `--parallel`'s default: four lanes per core, at most 8 (a 2-core machine: 8). */
export function defaultParallel(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(MAX_DEFAULT_PARALLEL, LANES_PER_CORE * cores));
}

/**
 * @default 1 — scenarios starting or sending at once per core (LaneScheduler). The seed's mid-run
 * pins were measured one scenario at a time; with 2 per core a node-rdkafka mid-run row lost 68
 * against its 60 (docs/measured/seed-lanes-8-sending-4-repeat-2026-12-02.json), with 1 per core
 * no timing pin moved in 10 runs (seed-lanes-8-sending-2-repeat-2026-12-02.json and …-repeat-b-…).
 */
export const SENDING_PER_CORE = 1;

/** How many laned scenarios may be starting or sending at once: 1 per core (a 2-core machine: 2). */
export function sendingLimit(cores = os.availableParallelism()): number {
  return Math.max(1, SENDING_PER_CORE * cores);
}

/** `--parallel N` as given on the command line; undefined when not given. */
export function parseParallel(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(value) || value < 1 || value > MAX_LANES) {
    throw new HarnessError(`--parallel ${text} is not a whole number from 1 to ${MAX_LANES}`, { hint: `use e.g. --parallel 4, or --parallel 1 to run one scenario at a time (default here: ${defaultParallel()})` });
  }
  return value;
}

/**
 * The lanes a run uses: what was asked, capped by what the cluster has (local and docker: what it
 * was started with; external: one). Asking explicitly for more than there are says so once.
 */
export function usableLanes(asked: number, cluster: StartedCluster, explicit: boolean, log: (line: string) => void): number {
  const available = cluster.lanes?.length ?? 1;
  if (asked <= available) return asked;
  if (explicit) {
    log(cluster.backend !== 'external'
      ? `run: --parallel ${asked}, but this cluster has ${available} client lane${available === 1 ? '' : 's'}: running ${available} at a time`
      : `run: --parallel ${asked}: the external backend has one client lane (lanes need the extra listeners the local and docker backends start): running one scenario at a time`);
  }
  return available;
}
