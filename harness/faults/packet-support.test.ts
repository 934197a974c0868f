import type { NftResult } from './nft-command';
import { describePacketSupport, probePacketSupport, requirePacketFaults } from './packet-support';

const answers = (byVerb: Record<string, NftResult>) => (args: string[]) => byVerb[args[0]] ?? { ok: true, output: '', missing: false };
const ok = (output = ''): NftResult => ({ ok: true, output, missing: false });

test('no nft binary: names the package to install', () => {
  const support = probePacketSupport(answers({ '--version': { ok: false, output: 'spawn nft ENOENT', missing: true } }));
  expect(support).toEqual({ available: false, missing: 'the nft command (package nftables), which is not on PATH', fix: expect.stringMatching(/apt-get install -y nftables/) });
});

test('not root: names root or CAP_NET_ADMIN and how to get it', () => {
  const support = probePacketSupport(answers({ '--version': ok('nftables v1.0.6'), add: { ok: false, output: 'Error: Could not process rule: Operation not permitted\n', missing: false } }));
  expect(support).toMatchObject({ available: false, missing: expect.stringMatching(/^root or CAP_NET_ADMIN \(nft: Error: Could not process rule: Operation not permitted\)$/) });
  expect(describePacketSupport(support)).toMatch(/unavailable, missing root or CAP_NET_ADMIN.*fix: run the harness as root.*setcap cap_net_admin/);
});

test('available: the probe table is created and deleted again', () => {
  const calls: string[] = [];
  const support = probePacketSupport((args) => (calls.push(args.join(' ')), ok(args[0] === '--version' ? 'nftables v1.0.6 (Lester Gooch #5)' : '')));
  expect(support).toEqual({ available: true, detail: 'nftables v1.0.6 (Lester Gooch #5), allowed to change the ruleset' });
  expect(calls.slice(1)).toEqual([`add table inet kchaos_${process.pid}_probe`, `delete table inet kchaos_${process.pid}_probe`]);
  expect(describePacketSupport(support)).toMatch(/^packet faults \(partition, partition-oneway, tcp-reset\): available/);
});

test('a scenario with packet faults stops with one error naming what is missing and the fix', () => {
  const missing = () => ({ available: false as const, missing: 'the nft command (package nftables), which is not on PATH', fix: 'install nftables (Debian/Ubuntu: apt-get install -y nftables)' });
  expect(() => requirePacketFaults(['partition', 'partition', 'tcp-reset'], missing)).toThrow(
    /^packet faults \(partition, tcp-reset\) cannot run here: they need the nft command \(package nftables\), which is not on PATH\n {2}fix: install nftables/,
  );
  expect(() => requirePacketFaults(['partition'], () => ({ available: true, detail: '' }))).not.toThrow();
});
