import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check } from '../harness/checker/checker';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { createLinkFault } from '../harness/faults/link-fault';
import type { HistoryOp } from '../harness/history/history-types';
import { signalGroup } from '../harness/process/process-liveness';
import { BACKLOG_LOCK, ownerRunning } from '../harness/resilient/backlog-file';
import { createResilientProducer } from '../harness/resilient/resilient-producer';
import { drainTopic } from '../harness/verify/verifier';
import { attachSharedCluster } from './shared-cluster';

// The backlog's promise under a crash: producer A (a child process, resilient, keyedPolicy 'hold',
// backlog dir D) sends while the producer cannot reach k1 (blackhole, k1 leads partition 0); the
// messages for partition 0 are fsynced to D. A is SIGKILLed without draining. The fault heals;
// producer B, given the same D, replays them. Every message A accepted (acked by Kafka or
// backlogged) must be read back over DIRECT: lostAcked 0.

const CHILD = path.join(__dirname, 'resilient-backlog-child.ts');
const TSX = require.resolve('tsx/cli');
const MESSAGES = 200;

let cluster: StartedCluster;
beforeAll(async () => {
  cluster = await attachSharedCluster();
});
afterAll(async () => {
  await cluster?.resetProxies().catch(() => {});
  await cluster?.stop();
});

interface ChildLine {
  event: string;
  seq?: number;
  partition?: number;
  offset?: number;
  via?: 'acked' | 'backlogged';
  error?: string;
  stats?: { backlogSize: number; held: number };
}

function linesOf(child: ChildProcessWithoutNullStreams): { lines: ChildLine[]; stderr: () => string } {
  const lines: ChildLine[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, newline)));
      buffered = buffered.slice(newline + 1);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { lines, stderr: () => stderr };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(['kafkajs', 'node-rdkafka'] as const)('%s', (client) => {
  test('a SIGKILLed producer\'s backlog is replayed by the next producer on the same dir: every accepted message arrives', async () => {
    const topic = `kchaos-resilient-backlog-${client}-${Date.now().toString(36)}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-backlog-int-'));
    await cluster.createTopic(topic, { minInsyncReplicas: 2 });
    const leaders = await cluster.partitionState(topic);
    expect(leaders.find((p) => p.partition === 0)?.leader).toBe(1);
    const k1 = cluster.brokers.find((b) => b.id === 1)!;
    const fault = createLinkFault({ kind: 'blackhole', target: 'k1', atMs: 0, healAtMs: null, direction: 'both' }, k1.proxy, () => {});
    let child: ChildProcessWithoutNullStreams | undefined;
    try {
      await fault.inject();
      // A bootstraps through the brokers it can reach, as in the seed.
      const reachable = cluster.brokers.filter((b) => b.id !== 1).map((b) => b.proxied).join(',');
      child = spawn(process.execPath, [TSX, CHILD, JSON.stringify({ client, bootstrap: reachable, topic, dir, messages: MESSAGES, payloadBytes: 100 })], { detached: true });
      const { lines, stderr } = linesOf(child);
      await waitFor(() => lines.some((l) => l.event === 'settled' || l.event === 'error'), 60_000, `producer A to settle its sends (stderr: ${stderr()})`);
      expect(lines.find((l) => l.event === 'error')).toBeUndefined();

      // Crash: no close(), no drain, no chance to finish a write.
      signalGroup(child.pid!, 'SIGKILL');
      await new Promise((resolve) => (child!.exitCode !== null || child!.signalCode !== null ? resolve(undefined) : child!.once('exit', resolve)));
      expect(child.signalCode).toBe('SIGKILL');
      // `child` is tsx's launcher; the producer holding the lock is its child, in the same group, and
      // may still be dying when the launcher's exit arrives (B then found the lock held: once in a full npm test).
      const lockOwner = Number(fs.readFileSync(path.join(dir, BACKLOG_LOCK), 'utf8').trim());
      await waitFor(() => !ownerRunning(lockOwner), 10_000, `the killed producer ${lockOwner} to be gone`);

      const accepted = lines.filter((l) => l.event === 'accepted');
      const backlogged = accepted.filter((l) => l.via === 'backlogged');
      expect(accepted).toHaveLength(MESSAGES); // A accepted everything: acked, or fsynced to its backlog
      expect(backlogged.length).toBeGreaterThan(0); // …and the backlog really had work left
      expect(backlogged.every((l) => l.partition === 0)).toBe(true); // held for k1's partition (key affinity)

      await fault.heal();
      const b = createResilientProducer({ client, bootstrap: cluster.proxiedBootstrap, topic, keyedPolicy: 'hold', backlog: { dir } });
      await b.connect();
      expect(b.stats().backlogSize).toBeGreaterThanOrEqual(backlogged.length);
      await waitFor(() => b.stats().backlogSize === 0, 30_000, 'producer B to replay the backlog');
      const replays = b.stats().replays;
      await b.close({ timeoutMs: 10_000 });

      // The checker's view: one invoke per seq, an ok for every accepted one (backlogged: offset -1).
      const ops: HistoryOp[] = [];
      const op = (type: HistoryOp['type'], value: HistoryOp['value']) => ops.push({ index: ops.length, timeMs: ops.length, process: 'p1', type, f: 'send', value });
      for (let seq = 0; seq < MESSAGES; seq++) op('invoke', { seq, key: `k-${seq}`, partition: null });
      for (const l of accepted) op('ok', { seq: l.seq!, partition: l.partition!, offset: l.offset! });
      const observed = await drainTopic(cluster.directBootstrap, topic);
      const result = check(ops, observed, { lostAcked: 0, undelivered: 0, unexpected: 0 });
      process.stderr.write(`resilient backlog crash (${client}): accepted ${accepted.length} (backlogged ${backlogged.length}), replayed by B ${replays}, counts ${JSON.stringify(result.counts)}\n`);
      expect(result.counts.lostAcked).toBe(0);
      expect(result.counts.undelivered).toBe(0);
      expect(result.counts.unexpected).toBe(0);
      // Key affinity survived the crash: every seq's copies are all on its key's partition (0 for the backlogged ones).
      const backloggedSeqs = new Set(backlogged.map((l) => l.seq));
      expect(observed.filter((r) => backloggedSeqs.has(r.seq!)).every((r) => r.partition === 0)).toBe(true);
      expect(replays).toBeGreaterThanOrEqual(backlogged.length);
    } finally {
      if (child?.pid && child.exitCode === null && child.signalCode === null) signalGroup(child.pid, 'SIGKILL');
      await fault.heal().catch(() => {});
      await cluster.deleteTopic(topic).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
