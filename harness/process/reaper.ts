import fs from 'node:fs';
import { readPidFiles } from './pid-file';
import { isAlive, isOurProcess, signalGroup } from './process-liveness';
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
  const reaped: string[] = [];
  for (const { file, record } of readPidFiles()) {
    if (isAlive(record.ownerPid)) continue; // includes ourselves and any other live harness
    if (isOurProcess(record.pid, record.marker)) {
      signalGroup(record.pid, 'SIGKILL');
      reaped.push(`${record.name} (pid ${record.pid})`);
    }
    fs.rmSync(file, { force: true });
  }
  if (reaped.length > 0) log(`reaped ${reaped.length} process(es) left by a crashed run: ${reaped.join(', ')}`);
  return [...reaped, ...reapOrphanTables(log).map((table) => `nft table ${table}`), ...reapOrphanContainers(log)];
}
