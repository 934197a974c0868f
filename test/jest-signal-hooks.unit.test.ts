import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive } from '../harness/process/process-liveness';
import { waitFor } from './wait-for';

// The mechanism behind "Ctrl-C or SIGTERM to jest (or to npm test) stops the shared cluster",
// without a cluster: a jest run whose global setup starts a managed child and registers its
// graceful stop with stopOnInterrupt, as the preset's global setup does with the cluster it
// starts. The signal must run that stop (not only the SIGKILL at exit) and leave nothing. With a
// real cluster: test/jest-signals.int.test.ts.
const ROOT = path.resolve(__dirname, '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

const setupSource = (project: string) => `
import fs from 'node:fs';
import path from 'node:path';
import { spawnManaged, stopManaged } from ${JSON.stringify(path.join(ROOT, 'harness', 'process', 'child-processes'))};
import { stopOnInterrupt } from ${JSON.stringify(path.join(ROOT, 'harness', 'process', 'stop-on-interrupt'))};

export default async function globalSetup(): Promise<void> {
  const dir = ${JSON.stringify(project)};
  const child = spawnManaged('sleeper', 'sleep', ['600'], { logFile: path.join(dir, 'sleeper.log'), marker: 'sleep' });
  fs.writeFileSync(path.join(dir, 'child.json'), JSON.stringify({ pid: child.pid, pidFile: child.pidFile, jestPid: process.pid }));
  stopOnInterrupt(async () => {
    await stopManaged(child);
    fs.writeFileSync(path.join(dir, 'stopped-gracefully'), '');
  });
}
`;

const HOLD_TEST = `test('holds', async () => {
  require('node:fs').writeFileSync(require('node:path').join(__dirname, 'started'), '');
  await new Promise((resolve) => setTimeout(resolve, 600000));
}, 700000);
`;


/** A jest project in a temp folder whose global setup holds a managed child (see setupSource). */
function fixture(): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-jest-hooks-'));
  fs.writeFileSync(path.join(project, 'setup.ts'), setupSource(project));
  fs.writeFileSync(path.join(project, 'hold.test.js'), HOLD_TEST);
  fs.writeFileSync(path.join(project, 'jest.config.js'), `module.exports = ${JSON.stringify({
    rootDir: project,
    testMatch: ['<rootDir>/*.test.js'],
    globalSetup: path.join(project, 'setup.ts'),
    transform: { '^.+\\.ts$': path.join(ROOT, 'jest-preset', 'transform.js') },
    maxWorkers: 1,
  })};\n`);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'fixture', private: true, scripts: { test: `node ${JEST} --config ${path.join(project, 'jest.config.js')}` } }));
  return project;
}

/** Starts `command` in the fixture, waits until its test holds the child, sends `signal` to it; what was left. */
async function interrupt(command: string[], signal: NodeJS.Signals) {
  const project = fixture();
  const env: NodeJS.ProcessEnv = { ...process.env, KCHAOS_CACHE: path.join(project, 'cache') };
  delete env.JEST_WORKER_ID;
  const runner = spawn(command[0], command.slice(1), { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  runner.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  runner.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string | null>((resolve) => runner.once('exit', (code, sig) => resolve(code ?? sig)));
  let held: { pid: number; pidFile: string; jestPid: number } | undefined;
  try {
    const started = await waitFor(() => fs.existsSync(path.join(project, 'started')), 30_000);
    expect({ started, output: started ? '' : output.slice(-2000) }).toEqual({ started: true, output: '' });
    held = JSON.parse(fs.readFileSync(path.join(project, 'child.json'), 'utf8'));
    expect(isAlive(held!.pid)).toBe(true);
    runner.kill(signal);
    const code = await exited;
    const jestGone = await waitFor(() => !isAlive(held!.jestPid), 10_000);
    return {
      code,
      jestGone,
      stoppedGracefully: fs.existsSync(path.join(project, 'stopped-gracefully')),
      childAlive: isAlive(held!.pid),
      pidFileLeft: fs.existsSync(held!.pidFile),
    };
  } finally {
    if (runner.exitCode === null && runner.signalCode === null) runner.kill('SIGKILL');
    for (const pid of [held?.jestPid, held?.pid]) if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(project, { recursive: true, force: true });
  }
}

test.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('%s to jest runs the global setup\'s graceful stop and leaves no child (exit %d)', async (signal, exitCode) => {
  expect(await interrupt([process.execPath, JEST, '--config', 'jest.config.js'], signal)).toEqual({
    code: exitCode, jestGone: true, stoppedGracefully: true, childAlive: false, pidFileLeft: false,
  });
}, 60_000);

test('SIGTERM to `npm test` (which does not pass it on to jest) stops the child too: jest sees its parent gone', async () => {
  const left = await interrupt(['npm', 'test'], 'SIGTERM');
  expect({ ...left, code: undefined }).toEqual({ code: undefined, jestGone: true, stoppedGracefully: true, childAlive: false, pidFileLeft: false });
}, 60_000);
