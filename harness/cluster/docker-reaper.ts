import { spawnSync } from 'node:child_process';
import { ownerIsGone } from '../process/table-record';
import { OWNER_PID_LABEL, OWNER_START_LABEL } from './docker-owner-labels';

/** @default 10000 — one docker CLI call of the reaper; an engine that does not answer is skipped. */
const DOCKER_CALL_TIMEOUT_MS = 10_000;

export interface OwnedObject {
  id: string;
  ownerPid: number;
  ownerStartTicks: number | null;
}

export type DockerSyncRunner = (args: string[]) => { ok: boolean; output: string };

export const runDockerSync: DockerSyncRunner = (args) => {
  const result = spawnSync('docker', args, { encoding: 'utf8', timeout: DOCKER_CALL_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  return { ok: result.status === 0, output: result.stdout ?? '' };
};

/** Lines "<id> <owner pid> <owner start ticks>" as the list commands below print them. */
export function parseOwnedObjects(output: string): OwnedObject[] {
  return output.split('\n').map((line) => line.trim().split(/\s+/)).filter((f) => f[0] && /^\d+$/.test(f[1] ?? '')).map(([id, pid, ticks]) => ({
    id,
    ownerPid: Number(pid),
    ownerStartTicks: ticks && /^\d+$/.test(ticks) ? Number(ticks) : null,
  }));
}

const FORMAT = `{{.ID}} {{.Label "${OWNER_PID_LABEL}"}} {{.Label "${OWNER_START_LABEL}"}}`;

/**
 * Removes the containers (with their anonymous volumes), then the networks, that the docker
 * backend of a harness process now gone left behind. Those of live harnesses, and everything
 * without the owner label, are left alone. No docker CLI, or no engine: nothing to do.
 * Returns what it removed ("container <id>", "network <id>").
 */
export function reapOrphanContainers(log: (line: string) => void = () => {}, run: DockerSyncRunner = runDockerSync, isGone = ownerIsGone): string[] {
  const containers = run(['ps', '-a', '--filter', `label=${OWNER_PID_LABEL}`, '--format', FORMAT]);
  if (!containers.ok) return [];
  const reaped: string[] = [];
  const deadContainers = parseOwnedObjects(containers.output).filter(isGone).map((c) => c.id);
  if (deadContainers.length > 0 && run(['rm', '-f', '-v', ...deadContainers]).ok) reaped.push(...deadContainers.map((id) => `container ${id}`));
  const networks = run(['network', 'ls', '--filter', `label=${OWNER_PID_LABEL}`, '--format', FORMAT]);
  const deadNetworks = networks.ok ? parseOwnedObjects(networks.output).filter(isGone).map((n) => n.id) : [];
  for (const id of deadNetworks) if (run(['network', 'rm', id]).ok) reaped.push(`network ${id}`);
  if (reaped.length > 0) log(`removed ${reaped.length} Docker object(s) left by a crashed run: ${reaped.join(', ')}`);
  return reaped;
}
