import fs from 'node:fs';
import { readPidFiles } from './pid-file';
import { isAlive, isOurProcess, processesWithMarker, signalGroup } from './process-liveness';
import { readSpawnIntents } from './spawn-intent';
import { reapOrphanTables } from './table-reaper';
import { reapOrphanContainers } from '../cluster/docker-reaper';

/**
 * Kills children left by a harness that crashed (its owner pid is gone) and removes their pid
 * files, then removes the packet-fault tables (nftables) and the docker backend's containers and
 * networks such a harness left. Children, tables and containers of a harness that is still running
 * are left alone, so two runs can share a machine.
 * Returns what was reaped.
 */
export function reapOrphans(log: (line: string) => void = () => {}): string[] {
  const reaped = reapOrphanChildren();
  if (reaped.length > 0) log(`reaped ${reaped.length} process(es) left by a crashed run: ${reaped.join(', ')}`);
  return [...reaped, ...reapOrphanTables(log).map((table) => `nft table ${table}`), ...reapOrphanContainers(log)];
}

/** The child processes of reapOrphans: those named by a dead owner's pid files and spawn intents. */
export function reapOrphanChildren(): string[] {
  const reaped: string[] = [];
  const killed = new Set<number>();
  for (const { file, record } of readPidFiles()) {
    if (isAlive(record.ownerPid)) continue; // includes ourselves and any other live harness
    if (isOurProcess(record.pid, record.marker)) {
      signalGroup(record.pid, 'SIGKILL');
      killed.add(record.pid);
      reaped.push(`${record.name} (pid ${record.pid})`);
    }
    fs.rmSync(file, { force: true });
  }
  // A child spawned by a harness that died before its pid file was written (spawn-intent.ts).
  for (const { file, record } of readSpawnIntents()) {
    if (isAlive(record.ownerPid)) continue;
    for (const pid of processesWithMarker(record.marker).filter((p) => !killed.has(p))) {
      signalGroup(pid, 'SIGKILL');
      reaped.push(`${record.name} (pid ${pid}, spawned as its harness died)`);
    }
    fs.rmSync(file, { force: true });
  }
  return reaped;
}
