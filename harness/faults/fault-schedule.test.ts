import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Proxy } from 'toxiproxy-node-client';
import type { StartedCluster } from '../cluster/started-cluster';
import { HistoryRecorder } from '../history/history-recorder';
import { FaultSchedule } from './fault-schedule';
import type { FaultSpec } from './fault-spec';

const proxy = (calls: string[], name: string) =>
  ({
    listen: 'l', upstream: 'u',
    update: async (b: { enabled: boolean }) => void calls.push(`${name} enabled=${b.enabled}`),
    addToxic: async (b: { name: string; type: string; stream: string }) => void calls.push(`${name} +${b.type}/${b.stream}`),
    getToxic: async () => ({ remove: async () => void calls.push(`${name} -toxic`) }),
  }) as unknown as Proxy;

function fakeCluster(calls: string[], withProcessControl = true): StartedCluster {
  const brokers = [1, 2, 3].map((id) => ({ id, name: `k${id}`, direct: '', proxied: '', proxy: proxy(calls, `k${id}`), replicationProxy: proxy(calls, `k${id}-replication`) }));
  const control = withProcessControl
    ? {
        stopBroker: async (id: number, signal: string) => void calls.push(`stop k${id} ${signal}`),
        startBroker: async (id: number) => void calls.push(`start k${id}`),
        pauseBroker: async (id: number) => void calls.push(`pause k${id}`),
        resumeBroker: async (id: number) => void calls.push(`resume k${id}`),
      }
    : {};
  return { backend: withProcessControl ? 'local' : 'external', brokers, ...control } as unknown as StartedCluster;
}

const recorder = () => new HistoryRecorder(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-schedule-')), 'history.jsonl'));
const leaders = { 0: 1, 1: 2, 2: 3 };
const fault = (over: Partial<FaultSpec>): FaultSpec => ({ kind: 'refuse', target: 'k1', atMs: 0, healAtMs: null, ...over });

test('several faults at once, link and process, each inject and heal recorded with its parameters', async () => {
  const calls: string[] = [];
  const history = recorder();
  const schedule = new FaultSchedule(
    [
      fault({ kind: 'latency', target: 'leaderOf(1)', direction: 'downstream', link: 'client', latencyMs: 200, jitterMs: 10 }),
      fault({ kind: 'refuse', target: 'leaderOf(0)', link: 'replication' }),
      fault({ kind: 'pause', target: 'k3' }),
      fault({ kind: 'kill', target: 'k1' }),
    ],
    fakeCluster(calls), history, leaders, (e) => { throw e; },
  );
  await schedule.start();
  await schedule.healAll();
  history.close();
  expect(calls.slice(0, 4)).toEqual(['k2 +latency/downstream', 'k1-replication enabled=false', 'pause k3', 'stop k1 SIGKILL']);
  expect(calls.slice(4, 6)).toEqual(['k2 -toxic', 'k1-replication enabled=true']); // link faults heal first
  expect(calls.slice(6).sort()).toEqual(['resume k3', 'start k1']);
  const values = history.ops.map((op) => [op.f, op.value]);
  expect(values[0]).toEqual(['inject', { fault: 'latency', target: 'leaderOf(1)', broker: 'k2', link: 'client', direction: 'downstream', latencyMs: 200, jitterMs: 10, partitions: [1] }]);
  expect(values[1]).toEqual(['inject', { fault: 'refuse', target: 'leaderOf(0)', broker: 'k1', link: 'replication', partitions: [] }]);
  expect(values[3]).toEqual(['inject', { fault: 'kill', target: 'k1', broker: 'k1', partitions: [0] }]);
  expect(history.ops.filter((op) => op.f === 'heal')).toHaveLength(4);
  expect(history.ops.every((op) => op.process === 'nemesis' && op.type === 'info')).toBe(true);
  const killHeal = history.ops.find((op) => op.f === 'heal' && (op.value as { fault: string }).fault === 'kill');
  expect(killHeal?.value).toMatchObject({ tookMs: expect.any(Number) });
});

test('restart heals itself: SIGTERM, then start, both recorded without waiting for the end', async () => {
  const calls: string[] = [];
  const history = recorder();
  const schedule = new FaultSchedule([fault({ kind: 'restart', target: 'k2', graceMs: 1000, downMs: 0 })], fakeCluster(calls), history, leaders, (e) => { throw e; });
  await schedule.start();
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(calls).toEqual(['stop k2 SIGTERM', 'start k2']);
  expect(history.ops.map((op) => op.f)).toEqual(['inject', 'heal']);
  await schedule.healAll();
  expect(history.ops).toHaveLength(2);
  history.close();
});

test('a process fault on a backend without process control fails with a clear error', async () => {
  const history = recorder();
  const schedule = new FaultSchedule([fault({ kind: 'kill', target: 'k1' })], fakeCluster([], false), history, leaders, () => {});
  await expect(schedule.start()).rejects.toThrow(/external backend cannot signal, stop or start brokers[\s\S]*--backend local/);
  history.close();
});

test('a replication link fault on a backend without replication proxies fails with a clear error', async () => {
  const cluster = fakeCluster([]);
  for (const b of cluster.brokers) delete b.replicationProxy;
  const history = recorder();
  const schedule = new FaultSchedule([fault({ kind: 'refuse', link: 'replication' })], cluster, history, leaders, () => {});
  await expect(schedule.start()).rejects.toThrow(/does not proxy replication/);
  history.close();
});

test('faults due later are injected and healed at their offsets', async () => {
  const calls: string[] = [];
  const history = recorder();
  const schedule = new FaultSchedule([fault({ kind: 'refuse', atMs: 30, healAtMs: 60 })], fakeCluster(calls), history, leaders, (e) => { throw e; });
  await schedule.start();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(calls).toEqual([]); // nothing before the workload starts (a JVM client may take seconds to connect)
  schedule.scheduleFromWorkloadStart();
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect(calls).toEqual(['k1 enabled=false', 'k1 enabled=true']);
  await schedule.healAll();
  expect(calls).toHaveLength(2);
  history.close();
});
