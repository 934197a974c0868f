import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './wait-for';

// Ctrl-C or SIGTERM to a jest run that uses the preset stops the shared cluster it started: the
// jest process itself cleans up, with no help from the next start's reaper. The fixture project
// lives in a temp folder, so every broker and proxy of its cluster mentions that folder (its
// configs are under <rootDir>/runs/jest-<id>/cluster).
const ROOT = path.resolve(__dirname, '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const WAIT_TEST = `const fs = require('node:fs');
const path = require('node:path');
test('holds the cluster until jest is stopped', async () => {
  fs.writeFileSync(path.join(__dirname, 'started'), process.env.KCHAOS_CLUSTER || '');
  await new Promise((resolve) => setTimeout(resolve, 600000));
}, 700000);
`;

function processesMentioning(text: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}


/** The environment of a user's shell: none of this run's shared-cluster variables, the local backend. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KCHAOS_BACKEND: 'local' };
  for (const name of ['KCHAOS_CLUSTER', 'KCHAOS_RUN_DIR', 'KCHAOS_OUT', 'KCHAOS_TEST_CLUSTER', 'KCHAOS_TEST_RUN_DIR', 'JEST_WORKER_ID']) delete env[name];
  return env;
}

test.each(['SIGTERM', 'SIGINT'] as const)('%s to jest stops the shared cluster the preset started, leaving no broker or proxy', async (signal) => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), `kchaos-jest-${signal.toLowerCase()}-`));
  // A preset given as a file path must be relative to rootDir (jest takes anything else for a package).
  const preset = path.relative(project, path.join(ROOT, 'jest-preset', 'jest-preset.js'));
  fs.writeFileSync(path.join(project, 'jest.config.js'), `module.exports = ${JSON.stringify({ preset, rootDir: project, testMatch: ['<rootDir>/*.test.js'] })};\n`);
  fs.writeFileSync(path.join(project, 'hold.test.js'), WAIT_TEST);
  const jest = spawn(process.execPath, [JEST, '--config', path.join(project, 'jest.config.js')], { cwd: project, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  jest.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  jest.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string | null>((resolve) => jest.once('exit', (code, sig) => resolve(code ?? sig)));
  try {
    const started = await waitFor(() => fs.existsSync(path.join(project, 'started')) || jest.exitCode !== null, 150_000) && fs.existsSync(path.join(project, 'started'));
    expect({ started, output: started ? '' : output.slice(-3000) }).toEqual({ started: true, output: '' });
    const clusterProcesses = processesMentioning(project);
    expect(clusterProcesses.filter((line) => /kafka\.Kafka/.test(line))).toHaveLength(3);
    expect(clusterProcesses.filter((line) => /toxiproxy-server/.test(line))).toHaveLength(1);

    jest.kill(signal);
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running after 30 s'), 30_000))]);
    expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
    // Gone without a reaper: the jest process stopped them before it exited (a second at most for
    // the kernel to finish a SIGKILLed one).
    await waitFor(() => processesMentioning(project).length === 0, 1_000);
    expect(processesMentioning(project)).toEqual([]);
  } finally {
    if (jest.exitCode === null && jest.signalCode === null) {
      jest.kill('SIGKILL');
      await exited;
    }
    // A failed test must not leave its cluster behind either.
    for (const line of processesMentioning(project)) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    fs.rmSync(project, { recursive: true, force: true });
  }
}, 240_000);
