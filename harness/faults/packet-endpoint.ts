import net from 'node:net';
import { HarnessError } from '../errors';

/** Where packet-fault rules match: one address and TCP port, as nft names the address family. */
export interface PacketEndpoint {
  family: 'ip' | 'ip6';
  address: string;
  port: number;
}

/** Addresses a proxy listening on every interface (or by name on this host) is reached at. */
const LOCAL_ALIASES: Record<string, string> = { localhost: '127.0.0.1', '0.0.0.0': '127.0.0.1', '::': '::1' };

/** "127.0.0.1:4242" or "[::1]:4242" → the endpoint packet rules match; other host names are refused with the fix. */
export function packetEndpoint(hostPort: string, where: string): PacketEndpoint {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort);
  if (!match) throw new HarnessError(`${where}: ${JSON.stringify(hostPort)} is not host:port`, { hint: 'the proxy\'s listen address must be host:port' });
  const address = LOCAL_ALIASES[match[1]] ?? match[1];
  const version = net.isIP(address);
  if (version === 0) {
    throw new HarnessError(`${where}: packet faults match on an IP address, and the proxy is at ${JSON.stringify(match[1])}`, {
      hint: 'give the proxy (Toxiproxy listen address) as an IP address',
    });
  }
  return { family: version === 6 ? 'ip6' : 'ip', address, port: Number(match[2]) };
}
