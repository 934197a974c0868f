import { spawn, spawnSync } from 'node:child_process';
import { HarnessError } from '../errors';

/** The nftables command line tool (Debian: apt-get install nftables). */
export const NFT = 'nft';

/** How one nft call ended; `missing`: the binary is not on PATH. */
export interface NftResult {
  ok: boolean;
  output: string;
  missing: boolean;
}

/** Runs nft (async) or nftSync; tests pass their own. */
export type NftRunner = (args: string[]) => Promise<NftResult>;
export type NftSyncRunner = (args: string[]) => NftResult;

const missingBinary = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** nft with an argument array (no shell); never throws. */
export const runNft: NftRunner = (args) =>
  new Promise((resolve) => {
    const child = spawn(NFT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ ok: false, output: String(error), missing: missingBinary(error) }));
    child.on('close', (code) => resolve({ ok: code === 0, output, missing: false }));
  });

/** nft, synchronously: for the 'exit' hook (which cannot wait) and the reaper. */
export const runNftSync: NftSyncRunner = (args) => {
  const result = spawnSync(NFT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) return { ok: false, output: String(result.error), missing: missingBinary(result.error) };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`, missing: false };
};

/** nft's answer when the table, chain or rule is already gone. */
export const isNoSuchObject = (result: NftResult) => /No such file or directory/.test(result.output);

/** The output of a call that must succeed, else one error quoting the command and nft's words. */
export function expectOk(result: NftResult, args: string[], what: string): string {
  if (result.ok) return result.output;
  throw new HarnessError(`${what}: nft ${args.join(' ')} failed: ${result.output.trim().split('\n')[0]}`, {
    hint: 'packet faults need nftables and root: see `kchaos setup`, which says what is missing',
  });
}
