import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NftResult, NftRunner } from './nft-command';
import type { FaultSpec } from './fault-spec';
import { packetEndpoint } from './packet-endpoint';

process.env.KCHAOS_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-packet-')); // table records land here

// Imported after KCHAOS_CACHE is set (paths are read when records are written, but keep it obvious).
import { createPacketFault, packetRules } from './packet-fault';
import { PacketTable } from './packet-table';
import { NftTable } from './nft-table';
import { tableRecordDir } from '../paths';

function fakeNft(fail: (args: string[]) => string | undefined = () => undefined) {
  const calls: string[] = [];
  let handle = 10;
  const run: NftRunner = async (args): Promise<NftResult> => {
    calls.push(args.join(' '));
    const error = fail(args);
    if (error) return { ok: false, output: error, missing: false };
    return { ok: true, output: args.includes('--echo') ? `add rule inet t output … # handle ${++handle}\n` : '', missing: false };
  };
  return { calls, run };
}

const endpoint = packetEndpoint('127.0.0.1:4242', 'test');
const fault = (over: Partial<FaultSpec>): FaultSpec => ({ kind: 'partition', target: 'k1', atMs: 0, healAtMs: null, link: 'client', ...over });

test('each kind is its rules: partition drops both ways, partition-oneway the answers, tcp-reset rejects the requests', () => {
  const words = (kind: 'partition' | 'partition-oneway' | 'tcp-reset') => packetRules(kind, endpoint).map((r) => `${r.chain}: ${r.rule.join(' ')}`);
  expect(words('partition')).toEqual(['output: ip daddr 127.0.0.1 tcp dport 4242 drop', 'input: ip saddr 127.0.0.1 tcp sport 4242 drop']);
  expect(words('partition-oneway')).toEqual(['input: ip saddr 127.0.0.1 tcp sport 4242 drop']);
  expect(words('tcp-reset')).toEqual(['output: ip daddr 127.0.0.1 tcp dport 4242 reject with tcp reset']);
  expect(packetRules('partition', packetEndpoint('[::1]:9', 'test'))[0].rule.slice(0, 3)).toEqual(['ip6', 'daddr', '::1']);
});

test('endpoints: local aliases become loopback addresses; a host name is refused with the fix', () => {
  expect(packetEndpoint('localhost:1', 'w')).toEqual({ family: 'ip', address: '127.0.0.1', port: 1 });
  expect(packetEndpoint('0.0.0.0:2', 'w').address).toBe('127.0.0.1');
  expect(() => packetEndpoint('kafka-proxy:3', 'fault partition on k1')).toThrow(/fault partition on k1: packet faults match on an IP address[\s\S]*fix: give the proxy/);
  expect(() => packetEndpoint('nope', 'w')).toThrow(/"nope" is not host:port/);
});

test('the table exists only while a fault is on: record and table with the first rule, both gone with the last', async () => {
  const { calls, run } = fakeNft();
  const table = new PacketTable('kchaos_1_1', run);
  const a = createPacketFault(fault({}), table, endpoint, async () => 0);
  const b = createPacketFault(fault({ kind: 'tcp-reset' }), table, packetEndpoint('127.0.0.1:4343', 'w'), async () => 0);
  await Promise.all([a.inject(), b.inject()]); // serialised: one create
  expect(calls.filter((c) => c.startsWith('add table'))).toEqual(['add table inet kchaos_1_1']);
  expect(calls.filter((c) => c.startsWith('add chain')).map((c) => c.split(' ').slice(4, 9).join(' '))).toEqual(['output { type filter hook', 'input { type filter hook']);
  expect(fs.existsSync(path.join(tableRecordDir(), 'kchaos_1_1.json'))).toBe(true);
  await a.heal();
  expect(calls.slice(-2)).toEqual(['delete rule inet kchaos_1_1 output handle 11', 'delete rule inet kchaos_1_1 input handle 12']);
  expect(table.exists).toBe(true);
  await b.heal();
  expect(calls.slice(-2)).toEqual(['delete rule inet kchaos_1_1 output handle 13', 'delete table inet kchaos_1_1']);
  expect(table.exists).toBe(false);
  expect(fs.existsSync(path.join(tableRecordDir(), 'kchaos_1_1.json'))).toBe(false);
});

test('onHeal drop-connections destroys the connections while the rules still hold, then removes them; resume leaves them', async () => {
  const order: string[] = [];
  const { calls, run } = fakeNft();
  const table = new PacketTable('kchaos_1_2', run);
  const drop = async () => void order.push(`drop, rules installed: ${calls.filter((c) => c.includes('add rule')).length - calls.filter((c) => c.includes('delete rule')).length}`);
  const dropping = createPacketFault(fault({ onHeal: 'drop-connections' }), table, endpoint, async () => (await drop(), 1));
  await dropping.inject();
  await dropping.heal();
  expect(order).toEqual(['drop, rules installed: 2']);
  const resuming = createPacketFault(fault({ onHeal: 'resume' }), table, endpoint, async () => (await drop(), 1));
  await resuming.inject();
  await resuming.heal();
  expect(order).toHaveLength(1);
  expect(table.exists).toBe(false);
});

test('a failing nft call is one error quoting the command and nft\'s words; a rule or table already gone is fine', async () => {
  const denied = fakeNft((args) => (args[0] === 'add' ? 'Error: Could not process rule: Operation not permitted' : undefined));
  await expect(new NftTable('kchaos_1_3', denied.run).create()).rejects.toThrow(/creating the packet-fault table: nft add table inet kchaos_1_3 failed: Error: Could not process rule: Operation not permitted[\s\S]*fix: .*kchaos setup/);
  const gone = fakeNft((args) => (args[0] === 'delete' ? 'Error: Could not process rule: No such file or directory' : undefined));
  await expect(new NftTable('kchaos_1_4', gone.run).delete()).resolves.toBeUndefined();
  await expect(new NftTable('kchaos_1_4', gone.run).deleteRule('input', 3)).resolves.toBeUndefined();
});
