import fs from 'node:fs';
import path from 'node:path';
import { pidDir } from '../paths';
import { readJsonRecords } from './json-records';

/** What the reaper needs to find a child again after its owner died. */
export interface PidRecord {
  pid: number;
  /** The harness process that started the child; while it lives, the child is not an orphan. */
  ownerPid: number;
  name: string;
  /** A string that must appear in /proc/<pid>/cmdline, so a recycled pid is never killed. */
  marker: string;
  startedAt: string;
}

export function pidFilePath(ownerPid: number, pid: number): string {
  return path.join(pidDir(), `${ownerPid}-${pid}.json`);
}

export function writePidFile(record: PidRecord): string {
  fs.mkdirSync(pidDir(), { recursive: true });
  const file = pidFilePath(record.ownerPid, record.pid);
  fs.writeFileSync(file, JSON.stringify(record));
  return file;
}

export function readPidFiles(): Array<{ file: string; record: PidRecord }> {
  return readJsonRecords<PidRecord>(pidDir()); // a torn pid file from a crash names nothing we can trust
}
