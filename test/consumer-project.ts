/**
 * `npm run test:package`: the package as a team gets it. Packs this repository, installs the
 * tarball into a fresh project in a temporary folder outside the repository (with jest, as a team
 * has), scaffolds it with `kchaos init`, and there:
 *   - checks require() and ESM import of '.', './jest-preset' and './package.json', tsx not loaded;
 *   (a) a plain .js script runs a scenario (require), (b) an .mjs script runs one with the team's
 *       TypeScript producer (import; tsx registered on demand);
 *   (c) jest with the preset runs the generated test (passes) and one failing on purpose, whose
 *       matcher message is asserted;
 *   (d) `npx kchaos run` runs a seed scenario and the generated scenario file, then the generated
 *       workflow's baseline save and gate.
 * (a)–(d) share one cluster from `kchaos cluster up`. Prints the tarball size, the install time and
 * each step's time; exit 1 on the first failed check. KCHAOS_KEEP=1 keeps the temporary folder.
 */
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'consumer-project');
const SEED_SCENARIO = 'seed/kafkajs/hashing/library-only/blackhole-k1';
/** The consumer's own test runner, as a team pins it. */
const JEST_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.jest;

const timesMs: Record<string, number> = {};
const facts: Record<string, number | string> = {};

function log(line: string): void {
  process.stdout.write(`consumer-project: ${line}\n`);
}

async function step<T>(name: string, body: () => T | Promise<T>): Promise<T> {
  log(`${name} …`);
  const started = Date.now();
  const value = await body();
  timesMs[name] = Date.now() - started;
  log(`${name}: ok (${(timesMs[name] / 1000).toFixed(1)} s)`);
  return value;
}

/** Runs a command (argument array, no shell); fails with its output unless its exit code is `expectCode`. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; expectCode?: number }): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const expected = options.expectCode ?? 0;
  if (result.status !== expected) {
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited ${result.status ?? result.signal}, expected ${expected}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

function processesMentioning(text: string): string[] {
  return spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

/** `kchaos cluster up` from the installed package; resolves with the JSON line it prints. */
function clusterUp(project: string): { child: ChildProcess; info: Promise<string>; exited: Promise<unknown> } {
  const bin = path.join(project, 'node_modules', 'kafka-chaos-harness', 'bin', 'kchaos.cjs');
  const child = spawn(process.execPath, [bin, 'cluster', 'up', '--backend', 'local'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stdout = '';
  let stderr = '';
  const info = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line && stdout.includes('\n')) resolve(line);
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`kchaos cluster up exited ${code} before printing its addresses\n${stderr.slice(-3000)}`)));
  });
  return { child, info, exited };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-consumer-'));
  const project = path.join(work, 'team-app');
  fs.mkdirSync(project);
  log(`working in ${work}`);
  let cluster: ReturnType<typeof clusterUp> | undefined;
  let passed = false;
  try {
    const tarball = await step('pack', () => {
      run('npm', ['run', 'build'], { cwd: ROOT });
      const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT }).stdout) as Array<{ filename: string; entryCount: number; unpackedSize: number }>;
      const file = path.join(work, path.basename(packed[0].filename));
      facts.tarballBytes = fs.statSync(file).size;
      facts.tarballFiles = packed[0].entryCount;
      facts.unpackedBytes = packed[0].unpackedSize;
      return file;
    });

    await step('install', () => {
      // What the README tells a team: approve the install scripts the harness needs, then install.
      run('npm', ['init', '-y'], { cwd: project });
      run('npm', ['pkg', 'set', 'allowScripts.node-rdkafka=true', 'allowScripts.esbuild=true', '--json'], { cwd: project });
      run('npm', ['install', '--no-audit', '--no-fund', '--save-dev', tarball, `jest@${JEST_VERSION}`], { cwd: project });
    });
    facts.installSeconds = Math.round(timesMs.install / 100) / 10;

    await step('require and import', () => {
      const cjs = run(process.execPath, ['-e', `
        const harness = require('kafka-chaos-harness');
        const preset = require('kafka-chaos-harness/jest-preset');
        const { version } = require('kafka-chaos-harness/package.json');
        const tsx = Object.keys(require.cache).some((file) => file.includes('/node_modules/tsx/'));
        console.log(JSON.stringify({ runScenario: typeof harness.runScenario, useSharedCluster: typeof preset.useSharedCluster, version, tsx }));`], { cwd: project });
      assert.deepEqual(JSON.parse(cjs.stdout), { runScenario: 'function', useSharedCluster: 'function', version: '0.1.0', tsx: false });
      const esm = run(process.execPath, ['--input-type=module', '-e', `
        import { runScenario, defineScenario } from 'kafka-chaos-harness';
        import { useSharedCluster, kchaosMatchers } from 'kafka-chaos-harness/jest-preset';
        console.log(JSON.stringify([typeof runScenario, typeof defineScenario, typeof useSharedCluster, typeof kchaosMatchers]));`], { cwd: project });
      assert.deepEqual(JSON.parse(esm.stdout), ['function', 'function', 'function', 'object']);
      const shipped = path.join(project, 'node_modules', 'kafka-chaos-harness');
      assert.ok(fs.existsSync(path.join(shipped, 'dist', 'harness', 'index.d.ts')), 'type declarations shipped');
      assert.ok(!fs.existsSync(path.join(shipped, 'harness')), 'no TypeScript sources shipped');
    });

    await step('kchaos init', () => {
      const out = run('npx', ['--no-install', 'kchaos', 'init'], { cwd: project }).stdout;
      assert.match(out, /wrote {3}chaos\/producer\.scenario\.ts/);
      for (const file of ['dropping-producer.ts', 'fails-on-purpose.chaos.test.ts']) fs.copyFileSync(path.join(FIXTURES, file), path.join(project, 'chaos', file));
      for (const file of ['run-one.js', 'run-one.mjs']) fs.copyFileSync(path.join(FIXTURES, file), path.join(project, file));
    });

    cluster = clusterUp(project);
    const info = await step('cluster up', () => cluster!.info);
    const env: NodeJS.ProcessEnv = { ...process.env, KCHAOS_CLUSTER: info };
    for (const name of ['KCHAOS_RUN_DIR', 'KCHAOS_TEST_CLUSTER', 'KCHAOS_TEST_RUN_DIR', 'JEST_WORKER_ID']) delete env[name];

    await step('(a) .js script', () => {
      const result = JSON.parse(run(process.execPath, ['run-one.js'], { cwd: project, env }).stdout.trim().split('\n').pop()!);
      assert.equal(result.error, undefined);
      assert.equal(result.counts.attempted, 100);
      assert.equal(result.counts.lostAcked, 0);
      assert.equal(result.verdict, 'pass');
    });

    await step('(b) .mjs import, TypeScript producer', () => {
      const result = JSON.parse(run(process.execPath, ['run-one.mjs'], { cwd: project, env }).stdout.trim().split('\n').pop()!);
      assert.deepEqual({ verdict: result.verdict, client: result.client, observed: result.counts.observed, error: result.error }, { verdict: 'pass', client: 'custom', observed: 50, error: undefined });
    });

    await step('(c) jest preset and matchers', () => {
      const jest = path.join(project, 'node_modules', 'jest', 'bin', 'jest.js');
      run(process.execPath, [jest, '-c', 'jest.chaos.config.cjs', '--json', '--outputFile', 'jest-results.json'], { cwd: project, env, expectCode: 1 });
      const report = JSON.parse(fs.readFileSync(path.join(project, 'jest-results.json'), 'utf8')) as {
        numPassedTests: number; numFailedTests: number; testResults: Array<{ name: string; assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>;
      };
      const tests = report.testResults.flatMap((file) => file.assertionResults.map((t) => ({ file: path.basename(file.name), title: t.title, status: t.status, message: t.failureMessages.join('\n') })));
      assert.deepEqual(tests.map((t) => `${t.file}: ${t.status}`).sort(), [
        'fails-on-purpose.chaos.test.ts: failed',
        'producer.chaos.test.ts: passed',
        'producer.chaos.test.ts: passed',
      ]);
      const failure = tests.find((t) => t.status === 'failed')!.message;
      assert.match(failure, /lostAcked 5 of 50 acknowledged messages: acked, yet never read back/);
      assert.match(failure, /first seqs: 9, 19, 29, 39, 49/);
    });

    await step('(d) npx kchaos run, baseline save, gate', () => {
      const parsed = JSON.parse(info) as { directBootstrap: string; toxiproxy: string };
      const external = ['--backend', 'external', '--bootstrap', parsed.directBootstrap, '--toxiproxy', parsed.toxiproxy];
      run('npx', ['--no-install', 'kchaos', 'run', SEED_SCENARIO, 'chaos/producer.scenario.ts', '--out', 'chaos-runs', '--reporter', 'json,junit,html', ...external], { cwd: project });
      const results = JSON.parse(fs.readFileSync(path.join(project, 'chaos-runs', 'latest', 'results.json'), 'utf8')) as { scenarios: Array<{ name: string; verdict: string }> };
      assert.deepEqual(results.scenarios.map((s) => `${s.name}: ${s.verdict}`), [`${SEED_SCENARIO}: pass`, 'team/producer/no-fault: pass', 'team/producer/blackhole-k1: pass']);
      run('npx', ['--no-install', 'kchaos', 'baseline', 'save', 'chaos-runs/latest/results.json', '--out', 'chaos/baseline.json'], { cwd: project });
      run('npx', ['--no-install', 'kchaos', 'gate', '--baseline', 'chaos/baseline.json', 'chaos-runs/latest/results.json'], { cwd: project });
    });
    passed = true;
  } finally {
    if (cluster) {
      cluster.child.kill('SIGTERM');
      await Promise.race([cluster.exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    }
    const left = processesMentioning(work);
    for (const line of left) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    if (left.length > 0) {
      passed = false;
      log(`FAILED: processes left after the cluster stopped:\n${left.join('\n')}`);
    }
    if (passed && !process.env.KCHAOS_KEEP) fs.rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
  log(`summary ${JSON.stringify({ ...facts, stepSeconds: Object.fromEntries(Object.entries(timesMs).map(([k, v]) => [k, Math.round(v / 100) / 10])) })}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`consumer-project: FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
