import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findCoordinator } from '../harness/cluster/find-coordinator';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { FaultSchedule } from '../harness/faults/fault-schedule';
import type { FaultSpec } from '../harness/faults/fault-spec';
import { probePacketSupport } from '../harness/faults/packet-support';
import { packetTableFor } from '../harness/faults/packet-table';
import { HistoryRecorder } from '../harness/history/history-recorder';
import { nftTables, tcpConnect } from './packet-probe';
import { attachSharedCluster } from './shared-cluster';

// Packet faults on the shared cluster's real packets: what a partition, a one-way partition and a
// reset do to a raw TCP connection to k1's proxy (the producer's way to k1), and that heal removes
// every rule. Needs nft and root; without them the tests show as skipped, saying why.
const support = probePacketSupport();
const describeIfPackets = support.available ? describe : describe.skip;
const why = support.available ? '' : ` — skipped: packet faults need ${support.missing}`;

let cluster: StartedCluster;
const leaders = { 0: 1, 1: 2, 2: 3 };
const fault = (over: Partial<FaultSpec>): FaultSpec => ({ kind: 'partition', target: 'k1', atMs: 0, healAtMs: null, link: 'client', ...over });
const history = () => new HistoryRecorder(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-packet-int-')), 'history.jsonl'));
const k1 = () => cluster.brokers.find((b) => b.id === 1)!.proxied;

beforeAll(async () => {
  cluster = await attachSharedCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** An ApiVersions v0 request (api key 18): any Kafka listener answers it, nothing changes. */
function apiVersionsRequest(): Buffer {
  const body = Buffer.from('0012' + '0000' + '0000002a' + 'ffff', 'hex'); // key 18, v0, correlation 42, null client id
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** A connection to k1's proxy, opened before the fault; `answered` resolves at the first response byte, `ended` on error or close. */
async function openConnection(hostPort: string) {
  const [host, port] = hostPort.split(':');
  const socket = net.connect({ host, port: Number(port) });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const answered = new Promise<number>((resolve) => socket.once('data', () => resolve(Date.now())));
  const ended = new Promise<string>((resolve) => {
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    socket.once('close', () => resolve('closed'));
  });
  return { socket, answered, ended };
}

const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<'not within'>((resolve) => setTimeout(() => resolve('not within'), ms))]);

describeIfPackets(`packet faults on the producer's link to k1${why}`, () => {
  test('partition: a connect to the proxy port hangs (neither refused nor accepted); heal lets it connect and removes the table', async () => {
    expect(await tcpConnect(k1(), 2_000)).toBe('connected');
    const recorder = history();
    const schedule = new FaultSchedule([fault({})], cluster, recorder, leaders, (e) => { throw e; });
    await schedule.start();
    const table = packetTableFor(cluster).name;
    expect(nftTables()).toContain(table);
    expect(await tcpConnect(k1(), 1_500)).toBe('timed out');
    expect(await tcpConnect(cluster.brokers.find((b) => b.id === 2)!.proxied, 1_500)).toBe('connected'); // k2 untouched
    await schedule.healAll();
    recorder.close();
    expect(nftTables()).not.toContain(table);
    expect(await tcpConnect(k1(), 2_000)).toBe('connected');
  }, 120_000);

  test('tcp-reset: a connect is refused at once; heal lets it connect', async () => {
    const recorder = history();
    const schedule = new FaultSchedule([fault({ kind: 'tcp-reset' })], cluster, recorder, leaders, (e) => { throw e; });
    await schedule.start();
    const started = Date.now();
    expect(await tcpConnect(k1(), 1_500)).toBe('refused');
    expect(Date.now() - started).toBeLessThan(500);
    await schedule.healAll();
    recorder.close();
    expect(await tcpConnect(k1(), 2_000)).toBe('connected');
  }, 120_000);

  test('partition-oneway: the request is held from its answer; onHeal resume delivers the answer after heal (retransmitted)', async () => {
    const open = await openConnection(k1());
    const recorder = history();
    const schedule = new FaultSchedule([fault({ kind: 'partition-oneway', onHeal: 'resume' })], cluster, recorder, leaders, (e) => { throw e; });
    await schedule.start();
    open.socket.write(apiVersionsRequest());
    expect(await within(open.answered, 2_000)).toBe('not within');
    expect(await tcpConnect(k1(), 1_500)).toBe('timed out'); // the SYN-ACK is an answer too
    const healedAt = Date.now();
    await schedule.healAll();
    recorder.close();
    // The proxy's kernel retransmits with exponential back-off (from 0.2–1 s, doubling): after a
    // fault of ~4 s the next try may be 10–30 s away on a loaded machine.
    const answeredAt = await within(open.answered, 60_000);
    expect(typeof answeredAt).toBe('number');
    expect(answeredAt as number).toBeGreaterThanOrEqual(healedAt);
    open.socket.destroy();
  }, 120_000);

  test('partition with onHeal drop-connections: the connection that lived through it is destroyed, its request never answered', async () => {
    const open = await openConnection(k1());
    const recorder = history();
    const schedule = new FaultSchedule([fault({ onHeal: 'drop-connections' })], cluster, recorder, leaders, (e) => { throw e; });
    await schedule.start();
    open.socket.write(apiVersionsRequest());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await schedule.healAll();
    recorder.close();
    expect(await within(open.ended, 5_000)).not.toBe('not within');
    expect(await within(open.answered, 3_000)).toBe('not within');
    expect(await tcpConnect(k1(), 2_000)).toBe('connected');
  }, 120_000);
});

/** Kafka's partitionFor(groupId): Utils.abs(String.hashCode) % partitions. */
function javaPartitionFor(key: string, partitions: number): number {
  let hash = 0;
  for (const char of key) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
}

test('a group coordinator target resolves to the leader of the group\'s __consumer_offsets partition, and faults are recorded on that broker', async () => {
  const group = 'kchaos-int-roles';
  const coordinator = await findCoordinator(cluster.directBootstrap, 'group', group);
  const offsets = await cluster.partitionState('__consumer_offsets');
  expect(coordinator).toBe(offsets.find((p) => p.partition === javaPartitionFor(group, offsets.length))!.leader);
  const recorder = history();
  const schedule = new FaultSchedule([fault({ kind: 'latency', target: `groupCoordinatorOf(${group})`, latencyMs: 1 })], cluster, recorder, leaders, (e) => { throw e; });
  await schedule.start();
  await schedule.healAll();
  recorder.close();
  expect(schedule.coordinators()).toEqual({ [`groupCoordinatorOf(${group})`]: coordinator });
  expect(recorder.ops[0].value).toMatchObject({ target: `groupCoordinatorOf(${group})`, broker: `k${coordinator}` });
  expect([1, 2, 3]).toContain(await findCoordinator(cluster.directBootstrap, 'transaction', 'kchaos-int-tx'));
}, 120_000);
