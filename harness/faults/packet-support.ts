import { HarnessError } from '../errors';
import { NftSyncRunner, runNftSync } from './nft-command';
import { deleteTableSync, TABLE_FAMILY, tableName } from './nft-table';

/** Whether this process can inject packet faults, and if not, what is missing and how to get it. */
export type PacketSupport = { available: true; detail: string } | { available: false; missing: string; fix: string };

const INSTALL_NFT = 'install nftables (Debian/Ubuntu: apt-get install -y nftables; Fedora: dnf install nftables)';
const GET_NET_ADMIN = 'run the harness as root (e.g. sudo -E npx kchaos run …), or let nft change the ruleset as this user: setcap cap_net_admin+ep "$(command -v nft)"';

/**
 * Probes by doing what a packet fault does: create a table (kchaos_<pid>_probe) and delete it.
 * That answers for the binary, the permission (root or CAP_NET_ADMIN) and the kernel at once.
 */
export function probePacketSupport(run: NftSyncRunner = runNftSync): PacketSupport {
  const version = run(['--version']);
  if (version.missing) return { available: false, missing: 'the nft command (package nftables), which is not on PATH', fix: INSTALL_NFT };
  const probe = tableName(process.pid, 'probe');
  const created = run(['add', 'table', TABLE_FAMILY, probe]);
  if (!created.ok) {
    const why = created.output.trim().split('\n')[0];
    if (/not permitted|Permission denied/i.test(created.output)) return { available: false, missing: `root or CAP_NET_ADMIN (nft: ${why})`, fix: GET_NET_ADMIN };
    return { available: false, missing: `a kernel with nf_tables (nft: ${why})`, fix: 'load the nf_tables module (modprobe nf_tables) or use a kernel built with it' };
  }
  deleteTableSync(probe, run);
  return { available: true, detail: `${version.output.trim()}, allowed to change the ruleset` };
}

/** Once the real probe has said yes, it is not asked again in this process. */
let probedAvailable = false;

/** Throws one error naming what is missing and how to get it, before anything is injected. */
export function requirePacketFaults(kinds: readonly string[], probe: () => PacketSupport = probePacketSupport): void {
  if (probe === probePacketSupport && probedAvailable) return;
  const support = probe();
  if (support.available) {
    probedAvailable ||= probe === probePacketSupport;
    return;
  }
  throw new HarnessError(`packet faults (${[...new Set(kinds)].join(', ')}) cannot run here: they need ${support.missing}`, { hint: support.fix });
}

/** One line for `kchaos setup`. */
export function describePacketSupport(support: PacketSupport = probePacketSupport()): string {
  return support.available
    ? `packet faults (partition, partition-oneway, tcp-reset): available (${support.detail})`
    : `packet faults (partition, partition-oneway, tcp-reset): unavailable, missing ${support.missing}; fix: ${support.fix}`;
}
