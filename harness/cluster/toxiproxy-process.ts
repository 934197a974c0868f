import fs from 'node:fs';
import path from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { spawnManaged, ManagedChild } from '../process/child-processes';
import { LOOPBACK } from './broker-config';
import { waitUntil } from './wait-until';

/** Starts toxiproxy-server on 127.0.0.1:`apiPort` and resolves once its API answers. */
export async function startToxiproxy(binary: string, apiPort: number, workDir: string): Promise<{ child: ManagedChild; client: Toxiproxy; url: string }> {
  const logFile = path.join(workDir, 'toxiproxy.log');
  // An empty proxy list as -config puts the run folder into the command line: the reaper's marker.
  const config = path.join(workDir, 'toxiproxy.json');
  fs.writeFileSync(config, '[]\n');
  const child = spawnManaged('toxiproxy', binary, ['-host', LOOPBACK, '-port', String(apiPort), '-config', config], {
    logFile,
    marker: config,
  });
  const url = `http://${LOOPBACK}:${apiPort}`;
  const client = new Toxiproxy(url);
  await waitUntil('the Toxiproxy API', async () => ((await client.getVersion()) ? true : undefined), {
    timeoutMs: 10_000,
    intervalMs: 50,
    onTimeout: () => `see ${logFile}`,
  });
  return { child, client, url };
}
