import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cacheDir } from '../paths';
import { requireTool } from './required-tool';
import { runCommand } from './run-command';

/** Pinned Toxiproxy server, built from the Go module proxy. */
export const TOXIPROXY_VERSION = 'v2.12.0';
const TOXIPROXY_MODULE = 'github.com/Shopify/toxiproxy/v2/cmd/server';

function onPath(binary: string): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v "$0"', binary], { encoding: 'utf8' });
  const resolved = found.stdout?.trim();
  return found.status === 0 && resolved ? resolved : undefined;
}

/** A `toxiproxy-server` on PATH wins; otherwise `go install` builds the pinned one into the cache. */
export async function ensureToxiproxy(log: (line: string) => void): Promise<string> {
  const existing = onPath('toxiproxy-server');
  if (existing) return existing;

  const binDir = path.join(cacheDir(), `toxiproxy-${TOXIPROXY_VERSION}`);
  const binary = path.join(binDir, 'toxiproxy-server');
  if (fs.existsSync(binary)) return binary;

  requireTool('go', 'version');
  log(`setup: building Toxiproxy ${TOXIPROXY_VERSION} with go install into ${binDir} (once)`);
  const scratch = `${binDir}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  await runCommand('go', ['install', `${TOXIPROXY_MODULE}@${TOXIPROXY_VERSION}`], {
    env: { ...process.env, GOBIN: scratch, GOFLAGS: '-mod=mod' },
    what: `building Toxiproxy ${TOXIPROXY_VERSION}`,
  });
  // go install names the binary after its package folder ("server").
  fs.renameSync(path.join(scratch, 'server'), path.join(scratch, 'toxiproxy-server'));
  fs.rmSync(binDir, { recursive: true, force: true });
  fs.renameSync(scratch, binDir);
  log(`setup: Toxiproxy ready at ${binary}`);
  return binary;
}
