import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reapOrphans } from '../harness/process/reaper';
import { isAlive } from '../harness/process/process-liveness';
import { waitFor } from './wait-for';

// The harness CLI run the way users run it, killed at random moments. Children of a run are found
// by the run folder in their command line (brokers' configs and Toxiproxy's -config live there).
// The package's bin loads tsx in-process: one harness process, as a user's `kchaos` is. (The tsx
// CLI would run the harness in a child of its own, and killing the parent would kill nothing.)
const KCHAOS = path.resolve(__dirname, '../bin/kchaos.cjs');
const TRIALS = 10;

function processesMentioning(text: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo')).map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** The harness CLI in `cwd`, its stdout and stderr collected (progress lines, cluster up's JSON). */
function startHarness(cwd: string, args: string[]) {
  const harness = spawn(process.execPath, [KCHAOS, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  harness.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  harness.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => harness.once('exit', resolve));
  return { harness, exited, output: () => output };
}


test(`SIGKILL of the harness at ${TRIALS} random moments leaves nothing after the next start`, async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-crash-'));
  const survivorsBeforeReap: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const harness = spawn(process.execPath, [KCHAOS, 'cluster', 'up', '--backend', 'local'], { cwd, stdio: 'ignore' });
    // 0.5–12 s: before set-up, while Toxiproxy starts, while the JVMs boot, after ready.
    const killAfterMs = 500 + Math.floor(Math.random() * 11_500);
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    harness.kill('SIGKILL');
    await new Promise((resolve) => harness.once('exit', resolve));
    const orphans = processesMentioning(cwd).filter((pid) => pid !== harness.pid);
    survivorsBeforeReap.push(orphans.length);
    reapOrphans(); // what the next start does first
    const gone = await waitFor(() => processesMentioning(cwd).length === 0, 10_000);
    expect({ trial, killAfterMs, leftAfterNextStart: gone ? [] : processesMentioning(cwd) }).toEqual({ trial, killAfterMs, leftAfterNextStart: [] });
  }
  // The trials really did leave orphans to reap (a SIGKILLed parent cannot clean up after itself).
  expect(survivorsBeforeReap.some((n) => n > 0)).toBe(true);
  fs.rmSync(cwd, { recursive: true, force: true });
}, 300_000);

test('SIGINT stops a run cleanly: results.json is written and marked incomplete, no process is left', async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-sigint-'));
  const { harness, exited, output } = startHarness(cwd, ['run', 'seed/kafkajs/round-robin/library-only/no-fault', '--out', 'out', '--reporter', 'console,json', '--backend', 'local']);
  const producing = await waitFor(() => /producing/.test(output()), 90_000); // the console reporter's progress
  if (!producing) harness.kill('SIGTERM'); // a failed wait must not leave a run (and its cluster) behind
  expect({ producing, output: producing ? '' : output().slice(-2000) }).toEqual({ producing: true, output: '' });
  harness.kill('SIGINT');
  const code = await exited;
  expect(code).toBe(130);
  const results = JSON.parse(fs.readFileSync(path.join(cwd, 'out', 'latest', 'results.json'), 'utf8'));
  expect(results.run.complete).toBe(false);
  expect(await waitFor(() => processesMentioning(cwd).length === 0, 10_000)).toBe(true);
  expect(isAlive(harness.pid!)).toBe(false);
  fs.rmSync(cwd, { recursive: true, force: true });
}, 180_000);

test('a second SIGTERM while the first is still stopping the cluster stops everything at once, leaving nothing', async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-twice-'));
  const { harness, exited, output } = startHarness(cwd, ['cluster', 'up', '--backend', 'local']);
  const up = await waitFor(() => output().includes('proxiedBootstrap'), 90_000);
  expect(processesMentioning(cwd).length).toBeGreaterThan(0);
  harness.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 200)); // the graceful stop has begun
  harness.kill('SIGTERM'); // with a one-shot handler this took the default action: harness dead, brokers orphaned
  expect({ up, code: await exited }).toEqual({ up: true, code: 143 });
  expect(await waitFor(() => processesMentioning(cwd).length === 0, 10_000)).toBe(true);
  fs.rmSync(cwd, { recursive: true, force: true });
}, 180_000);
