import net from 'node:net';
import { spawnSync } from 'node:child_process';

/** How a raw TCP connect to host:port ended within `timeoutMs`. */
export type ConnectOutcome = 'connected' | 'refused' | 'timed out' | `error ${string}`;

export function tcpConnect(hostPort: string, timeoutMs: number): Promise<ConnectOutcome> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (outcome: ConnectOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('timed out'), timeoutMs);
    socket.once('connect', () => done('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'refused' : `error ${error.code}`));
  });
}

/** The inet tables in the ruleset (nft list tables). */
export function nftTables(): string[] {
  const listed = spawnSync('nft', ['list', 'tables'], { encoding: 'utf8' });
  return listed.stdout.split('\n').map((line) => /^table inet (\S+)$/.exec(line.trim())?.[1]).filter((t): t is string => t !== undefined);
}
