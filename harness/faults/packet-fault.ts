import type { FaultSpec, HealMode, PacketFaultKind } from './fault-spec';
import { HEAL_RULES } from './fault-spec';
import type { ActiveFault } from './link-fault';
import type { PacketEndpoint } from './packet-endpoint';
import type { InstalledRule, PacketRule, PacketTable } from './packet-table';

/** The packets of a link, by direction: requests leave for the proxy's port, answers come from it. */
const requests = (e: PacketEndpoint) => ({ chain: 'output' as const, match: [e.family, 'daddr', e.address, 'tcp', 'dport', String(e.port)] });
const answers = (e: PacketEndpoint) => ({ chain: 'input' as const, match: [e.family, 'saddr', e.address, 'tcp', 'sport', String(e.port)] });

/**
 * The nftables rules of each packet fault (what they do on the wire: README, "What the faults
 * really do"):
 * - partition: both directions dropped. A new connection's SYN is lost (connect hangs until the
 *   client's connect timeout); an open connection's segments are retransmitted by the kernel.
 * - partition-oneway: only the answers dropped. Requests arrive and are written; responses and
 *   SYN-ACKs never come back, so open connections hang and new ones never complete.
 * - tcp-reset: every packet towards the port is answered by the kernel with a TCP RST: a connect
 *   is refused at once, an open connection is reset by its next segment.
 */
export function packetRules(kind: PacketFaultKind, endpoint: PacketEndpoint): PacketRule[] {
  const to = requests(endpoint);
  const from = answers(endpoint);
  switch (kind) {
    case 'partition':
      return [{ chain: to.chain, rule: [...to.match, 'drop'] }, { chain: from.chain, rule: [...from.match, 'drop'] }];
    case 'partition-oneway':
      return [{ chain: from.chain, rule: [...from.match, 'drop'] }];
    case 'tcp-reset':
      // Only the requests: a rule on the answers would also catch the RST the kernel sends back.
      return [{ chain: to.chain, rule: [...to.match, 'reject', 'with', 'tcp', 'reset'] }];
    default:
      throw new Error(`no packet fault named ${JSON.stringify(kind)}`);
  }
}

/** What heal does with the fault's connections: the spec's onHeal, else the kind's default. */
export function healModeOf(fault: FaultSpec): HealMode | undefined {
  const modes = HEAL_RULES[fault.kind as PacketFaultKind];
  return modes.length > 0 ? (fault.onHeal ?? modes[0]) : undefined;
}

/**
 * A packet fault on one endpoint: inject adds its rules to the cluster's table; heal (with onHeal
 * 'drop-connections') first destroys the connections that lived through it, then removes the rules.
 */
export function createPacketFault(
  fault: FaultSpec,
  table: PacketTable,
  endpoint: PacketEndpoint,
  dropConnections: (endpoint: PacketEndpoint) => Promise<number>,
): ActiveFault {
  let installed: InstalledRule[] = [];
  return {
    inject: async () => {
      installed = await table.add(packetRules(fault.kind as PacketFaultKind, endpoint));
    },
    heal: async () => {
      try {
        if (healModeOf(fault) === 'drop-connections') await dropConnections(endpoint);
      } finally {
        await table.delete(installed);
        installed = [];
      }
    },
  };
}
