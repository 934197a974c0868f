import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedCluster } from '../cluster/started-cluster';
import { HistoryRecorder } from '../history/history-recorder';
import type { NftResult } from './nft-command';
import type { FaultSpec } from './fault-spec';

process.env.KCHAOS_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-schedule-packet-'));

// The packet filter as a fake: every nft call is recorded, none reaches the kernel.
const nft = { calls: [] as string[], missing: false, handle: 0 };
const answer = (args: string[]): NftResult => {
  nft.calls.push(args.join(' '));
  if (nft.missing) return { ok: false, output: 'spawn nft ENOENT', missing: true };
  return { ok: true, output: args.includes('--echo') ? `… # handle ${++nft.handle}` : 'nftables v1.0.6', missing: false };
};
jest.mock('./nft-command', () => ({ ...jest.requireActual('./nft-command'), runNft: async (args: string[]) => answer(args), runNftSync: answer }));

import { FaultSchedule } from './fault-schedule';

const cluster = { backend: 'local', brokers: [1, 2, 3].map((id) => ({ id, name: `k${id}`, direct: '', proxied: `127.0.0.1:${9000 + id}` })) } as unknown as StartedCluster;
const recorder = () => new HistoryRecorder(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-schedule-')), 'history.jsonl'));
const leaders = { 0: 1, 1: 2, 2: 3 };
const fault = (over: Partial<FaultSpec>): FaultSpec => ({ kind: 'partition', target: 'k1', atMs: 0, healAtMs: null, link: 'client', ...over });

// First: the probe's 'yes' is remembered for the rest of the process.
test('without nft, a scenario with packet faults stops before anything is injected, with one error and its fix', async () => {
  nft.missing = true;
  const history = recorder();
  const schedule = new FaultSchedule([fault({ kind: 'refuse' }), fault({ kind: 'partition-oneway' })], cluster, history, leaders, () => {});
  await expect(schedule.start()).rejects.toThrow(/^packet faults \(partition-oneway\) cannot run here: they need the nft command[\s\S]*fix: install nftables/);
  expect(history.ops).toEqual([]);
  history.close();
  nft.missing = false;
});

test('packet faults add rules on the producer\'s proxy port, are recorded like link faults (partitions, onHeal), and heal removes the table', async () => {
  nft.calls.length = 0;
  const history = recorder();
  const schedule = new FaultSchedule([fault({ onHeal: 'resume' }), fault({ kind: 'tcp-reset', target: 'leaderOf(1)' })], cluster, history, leaders, (e) => { throw e; });
  await schedule.start();
  const rules = nft.calls.filter((c) => c.includes('add rule')).map((c) => c.replace(/^--echo --handle add rule inet kchaos_\d+_\d+ /, ''));
  expect(rules).toEqual([
    'output ip daddr 127.0.0.1 tcp dport 9001 drop',
    'input ip saddr 127.0.0.1 tcp sport 9001 drop',
    'output ip daddr 127.0.0.1 tcp dport 9002 reject with tcp reset',
  ]);
  await schedule.healAll();
  history.close();
  expect(nft.calls.at(-1)).toMatch(/^delete table inet kchaos_\d+_\d+$/);
  expect(history.ops.map((op) => [op.f, op.value])).toEqual([
    ['inject', { fault: 'partition', target: 'k1', broker: 'k1', link: 'client', onHeal: 'resume', partitions: [0] }],
    ['inject', { fault: 'tcp-reset', target: 'leaderOf(1)', broker: 'k2', link: 'client', partitions: [1] }],
    ['heal', { fault: 'partition', target: 'k1', broker: 'k1', link: 'client', onHeal: 'resume', partitions: [0] }],
    ['heal', { fault: 'tcp-reset', target: 'leaderOf(1)', broker: 'k2', link: 'client', partitions: [1] }],
  ]);
});

test('a packet fault on the replication link acts on the replication proxy and exposes no producer send', async () => {
  nft.calls.length = 0;
  const withReplication = { ...cluster, brokers: cluster.brokers.map((b) => ({ ...b, replicationProxy: { listen: `127.0.0.1:${9100 + b.id}` } })) } as unknown as StartedCluster;
  const history = recorder();
  const schedule = new FaultSchedule([fault({ kind: 'partition-oneway', target: 'k3', link: 'replication' })], withReplication, history, leaders, (e) => { throw e; });
  await schedule.start();
  await schedule.healAll();
  history.close();
  expect(nft.calls.filter((c) => c.includes('add rule')).map((c) => c.split(' ').slice(6).join(' '))).toEqual(['input ip saddr 127.0.0.1 tcp sport 9103 drop']);
  expect(history.ops[0].value).toMatchObject({ link: 'replication', partitions: [] });
});
