import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NftResult } from '../faults/nft-command';
import { tableRecordDir } from '../paths';
import { reapOrphanTables } from './table-reaper';
import { processStartTicks, readTableRecords, writeTableRecord } from './table-record';

process.env.KCHAOS_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-reap-tables-'));

/** A pid that surely belonged to a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', 'process.pid']).pid!;

/** A fake ruleset: `nft list tables` lists `tables`; `nft delete table inet X` removes X. */
function fakeRuleset(tables: string[]) {
  const deleted: string[] = [];
  const run = (args: string[]): NftResult => {
    if (args[0] === 'list') return { ok: true, output: tables.map((t) => `table ${t}\n`).join(''), missing: false };
    if (args[0] === 'delete') {
      const name = args[3];
      const at = tables.indexOf(`inet ${name}`);
      if (at < 0) return { ok: false, output: 'Error: Could not process rule: No such file or directory', missing: false };
      tables.splice(at, 1);
      deleted.push(name);
      return { ok: true, output: '', missing: false };
    }
    return { ok: false, output: 'unexpected', missing: false };
  };
  return { run, deleted, tables };
}

test('only tables the harness named whose owner is gone are removed: recorded ones, then kchaos_<dead pid>_… ones', () => {
  const dead = deadPid();
  writeTableRecord(`kchaos_${dead}_1`, dead); // crashed run, table still there
  writeTableRecord(`kchaos_${dead}_2`, dead); // crashed before the table was created
  writeTableRecord(`kchaos_${process.pid}_1`); // a live harness (us)
  const ruleset = fakeRuleset([`inet kchaos_${dead}_1`, `inet kchaos_${process.pid}_1`, `inet kchaos_${dead}_7`, 'inet filter', 'ip nat', `inet kchaos_${dead}`, 'inet kchaos_probe']);
  const lines: string[] = [];
  expect(reapOrphanTables((line) => lines.push(line), ruleset.run).sort()).toEqual([`kchaos_${dead}_1`, `kchaos_${dead}_7`]);
  expect(ruleset.tables).toEqual([`inet kchaos_${process.pid}_1`, 'inet filter', 'ip nat', `inet kchaos_${dead}`, 'inet kchaos_probe']);
  expect(readTableRecords().map((r) => r.record.table)).toEqual([`kchaos_${process.pid}_1`]);
  expect(lines).toEqual([expect.stringMatching(/^removed 2 packet-fault table\(s\) left by a crashed run: /)]);
});

test('a recycled owner pid (same pid, another start time) does not protect the table', () => {
  const file = writeTableRecord(`kchaos_${process.pid}_9`);
  const record = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, JSON.stringify({ ...record, ownerStartTicks: (processStartTicks(process.pid) ?? 0) + 1 }));
  const ruleset = fakeRuleset([`inet kchaos_${process.pid}_9`]);
  expect(reapOrphanTables(() => {}, ruleset.run)).toEqual([`kchaos_${process.pid}_9`]);
});

test('without nft (or without permission) nothing is touched and records stay for a start that can', () => {
  const dead = deadPid();
  writeTableRecord(`kchaos_${dead}_3`, dead);
  expect(reapOrphanTables(() => {}, () => ({ ok: false, output: 'spawn nft ENOENT', missing: true }))).toEqual([]);
  expect(fs.existsSync(path.join(tableRecordDir(), `kchaos_${dead}_3.json`))).toBe(true);
});

test('a torn record is dropped; the table it named is still found by its name', () => {
  fs.mkdirSync(tableRecordDir(), { recursive: true });
  fs.writeFileSync(path.join(tableRecordDir(), 'kchaos_1_torn.json'), '{"table": "kch');
  expect(readTableRecords().some((r) => r.file.endsWith('kchaos_1_torn.json'))).toBe(false);
  expect(fs.existsSync(path.join(tableRecordDir(), 'kchaos_1_torn.json'))).toBe(false);
});
