import { processStartTicks } from '../process/table-record';

/**
 * Labels on every container and network the docker backend creates: the harness process that owns
 * them. The harness removes its own on stop, Ctrl-C and SIGTERM; after a crash (SIGKILL) the next
 * start's reaper (docker-reaper.ts) removes those whose owner is gone. This replaces
 * testcontainers' Ryuk, whose image cannot be pulled where no registry is reachable.
 */
export const OWNER_PID_LABEL = 'io.kchaos.owner-pid';
/** The owner's start time (/proc/<pid>/stat), so a recycled pid is not taken for the owner. */
export const OWNER_START_LABEL = 'io.kchaos.owner-start-ticks';

export function ownerLabels(pid = process.pid): Record<string, string> {
  return { [OWNER_PID_LABEL]: String(pid), [OWNER_START_LABEL]: String(processStartTicks(pid) ?? '') };
}
