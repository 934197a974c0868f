/**
 * A harness process for test/packet-crash.int.test.ts: attaches to the shared cluster (its address
 * comes in KCHAOS_TEST_CLUSTER), injects a `partition` on k1 as a scenario would, prints
 * {"table": …} and waits to be killed. It never heals.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FaultSchedule } from '../harness/faults/fault-schedule';
import { packetTableFor } from '../harness/faults/packet-table';
import { HistoryRecorder } from '../harness/history/history-recorder';
import { attachSharedCluster } from './shared-cluster';

async function main(): Promise<void> {
  const cluster = await attachSharedCluster();
  const recorder = new HistoryRecorder(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-crash-child-')), 'history.jsonl'));
  const schedule = new FaultSchedule([{ kind: 'partition', target: 'k1', atMs: 0, healAtMs: null, link: 'client', onHeal: 'resume' }], cluster, recorder, { 0: 1, 1: 2, 2: 3 }, () => {});
  await schedule.start();
  process.stdout.write(`${JSON.stringify({ table: packetTableFor(cluster).name, proxy: cluster.brokers.find((b) => b.id === 1)!.proxied })}\n`);
  setInterval(() => {}, 60_000);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
