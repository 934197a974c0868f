import fs from 'node:fs';
import path from 'node:path';
import { tableRecordDir } from '../paths';
import { readJsonRecords } from './json-records';
import { isAlive } from './process-liveness';

/** What the reaper needs to remove an nftables table after the process that made it died (like a pid file). */
export interface TableRecord {
  /** The table's name (family inet). */
  table: string;
  /** The harness process that created it; while it lives, the table is not an orphan. */
  ownerPid: number;
  /** The owner's start time (/proc/<pid>/stat, clock ticks), so a recycled pid is not taken for it. */
  ownerStartTicks: number | null;
  createdAt: string;
}

/** A process's start time in clock ticks since boot, or null when /proc does not say. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) may hold spaces and parentheses: count fields after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 of proc(5); fields[0] is field 3
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

const recordFile = (table: string) => path.join(tableRecordDir(), `${table}.json`);

/** Written before the table is created, so a crash at any moment leaves a record of it. */
export function writeTableRecord(table: string, ownerPid = process.pid): string {
  fs.mkdirSync(tableRecordDir(), { recursive: true });
  const record: TableRecord = { table, ownerPid, ownerStartTicks: processStartTicks(ownerPid), createdAt: new Date().toISOString() };
  const file = recordFile(table);
  fs.writeFileSync(file, JSON.stringify(record));
  return file;
}

export function removeTableRecord(table: string): void {
  fs.rmSync(recordFile(table), { force: true });
}

export function readTableRecords(): Array<{ file: string; record: TableRecord }> {
  // A torn record is dropped: the table (if any) still carries its owner pid in its name.
  return readJsonRecords<TableRecord>(tableRecordDir());
}

/** The owner is gone: not alive, or its pid now belongs to a process that started at another time. */
export function ownerIsGone(record: Pick<TableRecord, 'ownerPid' | 'ownerStartTicks'>): boolean {
  if (!isAlive(record.ownerPid)) return true;
  const ticks = processStartTicks(record.ownerPid);
  return record.ownerStartTicks !== null && ticks !== null && ticks !== record.ownerStartTicks;
}
