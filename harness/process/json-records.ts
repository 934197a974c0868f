import fs from 'node:fs';
import path from 'node:path';

/**
 * The JSON records in `dir` (pid files, packet-table records), each with its file. A record torn
 * by a crash mid-write names nothing that can be trusted: its file is removed.
 */
export function readJsonRecords<T>(dir: string): Array<{ file: string; record: T }> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const records: Array<{ file: string; record: T }> = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = path.join(dir, name);
    try {
      records.push({ file, record: JSON.parse(fs.readFileSync(file, 'utf8')) as T });
    } catch {
      fs.rmSync(file, { force: true });
    }
  }
  return records;
}
