import { HarnessError } from '../errors';
import { runCommand } from '../provision/run-command';
import type { PacketEndpoint } from './packet-endpoint';

/** iproute2's socket tool: `ss -K` destroys sockets (the kernel needs CONFIG_INET_DIAG_DESTROY). */
const SS = 'ss';

const filterFor = (endpoint: PacketEndpoint) => ['dst', endpoint.family === 'ip6' ? `[${endpoint.address}]` : endpoint.address, 'dport', '=', `:${endpoint.port}`];
const socketLines = (output: string) => output.split('\n').filter((line) => line.trim() !== '');

/**
 * Destroys every TCP connection of this host to the endpoint (the peer gets a RST), then checks
 * that none is left; resolves with how many were destroyed. Used by a packet fault's heal with
 * onHeal 'drop-connections', while its rules still hold, so nothing held is delivered after all.
 */
export async function dropConnections(endpoint: PacketEndpoint): Promise<number> {
  const what = `destroying the connections to ${endpoint.address}:${endpoint.port} (onHeal 'drop-connections')`;
  const killed = await runCommand(SS, ['-K', '-t', '-n', '-H', ...filterFor(endpoint)], { what }).catch((error: unknown) => {
    throw new HarnessError(`${what} failed`, { cause: error, hint: 'install iproute2 (apt-get install -y iproute2) and run as root, or use onHeal \'resume\'' });
  });
  const left = await runCommand(SS, ['-t', '-n', '-H', 'state', 'established', ...filterFor(endpoint)], { what: `listing the connections to ${endpoint.address}:${endpoint.port}` });
  if (socketLines(left).length > 0) {
    throw new HarnessError(`${what}: ${socketLines(left).length} connection(s) survived ss -K`, {
      hint: 'this kernel cannot destroy sockets (CONFIG_INET_DIAG_DESTROY); use onHeal \'resume\'',
    });
  }
  return socketLines(killed).filter((line) => !/RTNETLINK/.test(line)).length;
}
