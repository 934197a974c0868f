import fs from 'node:fs';
import path from 'node:path';
import { pidDir } from '../paths';

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
  let names: string[];
  try {
    names = fs.readdirSync(pidDir());
  } catch {
    return [];
  }
  const records: Array<{ file: string; record: PidRecord }> = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = path.join(pidDir(), name);
    try {
      records.push({ file, record: JSON.parse(fs.readFileSync(file, 'utf8')) as PidRecord });
    } catch {
      fs.rmSync(file, { force: true }); // a torn pid file from a crash names nothing we can trust
    }
  }
  return records;
}
