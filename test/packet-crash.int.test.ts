import { spawn } from 'node:child_process';
import path from 'node:path';
import { probePacketSupport } from '../harness/faults/packet-support';
import { signalGroup } from '../harness/process/process-liveness';
import { reapOrphans } from '../harness/process/reaper';
import { readTableRecords } from '../harness/process/table-record';
import { nftTables, tcpConnect } from './packet-probe';

// A harness process SIGKILLed during a `partition` fault cannot remove its nftables table; the
// next start (its reaper) must, and k1's proxy must be reachable again. Tables of live processes
// (ours, another run's) are left alone.
const CHILD = path.join(__dirname, 'packet-fault-child.ts');
// tsx loaded in-process, as bin/kchaos.cjs does: the tsx CLI would run the child in a grandchild,
// and SIGKILL would reach only the CLI.
const TSX_CJS = require.resolve('tsx/cjs');
const support = probePacketSupport();
const testIfPackets = support.available ? test : test.skip;
const why = support.available ? '' : ` — skipped: packet faults need ${support.missing}`;

testIfPackets(`SIGKILL of a harness during a partition fault: the next start removes its table${why}`, async () => {
  const child = spawn(process.execPath, ['--require', TSX_CJS, CHILD], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  try {
    await crashDuringPartition(child);
  } finally {
    signalGroup(child.pid!, 'SIGKILL'); // never leave a partitioning process behind, whatever failed
  }
}, 120_000);

async function crashDuringPartition(child: ReturnType<typeof spawn>): Promise<void> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (!stdout.includes('\n') && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
  expect({ stdout: stdout.includes('\n'), stderr: stdout.includes('\n') ? '' : stderr }).toEqual({ stdout: true, stderr: '' });
  const { table, proxy } = JSON.parse(stdout.split('\n')[0]) as { table: string; proxy: string };
  expect(table).toMatch(new RegExp(`^kchaos_${child.pid}_\\d+$`)); // made by the process we kill
  expect(await tcpConnect(proxy, 1_500)).toBe('timed out'); // the fault is on

  child.kill('SIGKILL');
  await exited;
  expect(nftTables()).toContain(table); // a SIGKILLed process cleans nothing up
  expect(readTableRecords().map((r) => r.record.table)).toContain(table);

  expect(reapOrphans()).toContain(`nft table ${table}`); // what the next start does first
  expect(nftTables().filter((t) => t === table || t.startsWith(`kchaos_${child.pid}_`))).toEqual([]);
  expect(readTableRecords().map((r) => r.record.table)).not.toContain(table);
  expect(await tcpConnect(proxy, 2_000)).toBe('connected');
}
