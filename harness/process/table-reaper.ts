import { NftSyncRunner, runNftSync } from '../faults/nft-command';
import { deleteTableSync, inetTableNames, tableOwnerPid } from '../faults/nft-table';
import { isAlive } from './process-liveness';
import { ownerIsGone, readTableRecords, removeTableRecord } from './table-record';

/**
 * Removes the nftables tables of packet faults whose owning harness process is gone (a crash, a
 * SIGKILL): first those with a record, then any table named kchaos_<pid>_… whose pid is dead (its
 * record lost, e.g. written under another KCHAOS_CACHE). Tables of live harnesses and every table
 * not named by the harness are left alone. Without nft (or without root) it does nothing.
 * Returns the tables it removed.
 */
export function reapOrphanTables(log: (line: string) => void = () => {}, run: NftSyncRunner = runNftSync): string[] {
  const reaped: string[] = [];
  const recorded = new Set<string>();
  const listed = run(['list', 'tables']);
  if (!listed.ok) return reaped; // no nft, or no permission: this process cannot have made a table either
  const present = new Set(inetTableNames(listed.output));
  for (const { record } of readTableRecords()) {
    recorded.add(record.table);
    if (!ownerIsGone(record)) continue;
    if (!present.has(record.table) || deleteTableSync(record.table, run)) {
      if (present.has(record.table)) reaped.push(record.table);
      removeTableRecord(record.table);
    }
  }
  for (const table of present) {
    const owner = tableOwnerPid(table);
    if (owner === undefined || recorded.has(table) || isAlive(owner)) continue;
    if (deleteTableSync(table, run)) reaped.push(table);
  }
  if (reaped.length > 0) log(`removed ${reaped.length} packet-fault table(s) left by a crashed run: ${reaped.join(', ')}`);
  return reaped;
}
