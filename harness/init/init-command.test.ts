import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseInitArgs, runInit, scaffoldFiles, withChaosEntries } from './init-command';

let repo: string;
const lines: string[] = [];
const log = (line: string) => lines.push(line);
const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8');

beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-init-'));
  lines.length = 0;
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

test('scaffolds scenario, jest config and test, workflow and sample producer; adds scripts, allowScripts, .gitignore', () => {
  fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'team-app', scripts: { test: 'jest' } }, null, 4));
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/');
  expect(runInit(parseInitArgs(['--dir', repo]), log)).toBe(0);
  for (const file of ['chaos/producer.ts', 'chaos/producer.scenario.ts', 'chaos/producer.chaos.test.ts', 'jest.chaos.config.cjs', '.github/workflows/kafka-chaos.yml']) {
    expect(fs.existsSync(path.join(repo, file))).toBe(true);
  }
  const manifest = JSON.parse(read('package.json'));
  expect(manifest.scripts).toEqual({ test: 'jest', chaos: 'jest -c jest.chaos.config.cjs', 'chaos:run': 'kchaos run chaos/producer.scenario.ts --out chaos-runs' });
  expect(manifest.allowScripts).toEqual({ 'node-rdkafka': true, esbuild: true });
  expect(read('package.json')).toMatch(/^{\n {4}"name"/); // the file's own indent kept
  expect(read('.gitignore')).toBe('node_modules/\nruns/\nchaos-runs/\n');
  expect(read('chaos/producer.scenario.ts')).toContain("const producer = { module: path.join(__dirname, \"producer.ts\") };");
  expect(read('.github/workflows/kafka-chaos.yml')).toMatch(/setup-java[\s\S]*setup-go[\s\S]*npx kchaos setup[\s\S]*npx jest -c jest.chaos.config.cjs[\s\S]*kchaos gate --baseline chaos\/baseline.json chaos-runs\/latest\/results.json/);
  expect(lines[lines.length - 1]).toMatch(/^next: npm run chaos/);
});

test('keeps existing files and package.json entries unless --force', () => {
  fs.mkdirSync(path.join(repo, 'chaos'));
  fs.writeFileSync(path.join(repo, 'chaos', 'producer.scenario.ts'), '// ours\n');
  fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ scripts: { chaos: 'our own' }, allowScripts: { 'node-rdkafka@3.6.1': true, esbuild: false } }));
  runInit(parseInitArgs(['--dir', repo]), log);
  expect(read('chaos/producer.scenario.ts')).toBe('// ours\n');
  expect(lines).toContain('kept    chaos/producer.scenario.ts (exists; --force overwrites it)');
  expect(JSON.parse(read('package.json'))).toMatchObject({ scripts: { chaos: 'our own' }, allowScripts: { 'node-rdkafka@3.6.1': true, esbuild: false } });
  runInit(parseInitArgs(['--dir', repo, '--force']), log);
  expect(read('chaos/producer.scenario.ts')).toContain('defineScenario');
});

test('a producer module of the team, a command, or the docker backend for CI', () => {
  fs.mkdirSync(path.join(repo, 'src'));
  fs.writeFileSync(path.join(repo, 'src', 'producer.ts'), '');
  const moduleFiles = scaffoldFiles(parseInitArgs(['--dir', repo, '--producer-module', 'src/producer.ts']));
  expect(Object.keys(moduleFiles)).not.toContain('chaos/producer.ts');
  expect(moduleFiles['chaos/producer.scenario.ts']).toContain('{ module: path.join(__dirname, "../src/producer.ts") }');
  const commandFiles = scaffoldFiles(parseInitArgs(['--producer-command', 'python3  producer.py --fast']));
  expect(commandFiles['chaos/producer.scenario.ts']).toContain('{ command: ["python3","producer.py","--fast"] }');
  const docker = scaffoldFiles(parseInitArgs(['--ci', 'docker']))['.github/workflows/kafka-chaos.yml'];
  expect(docker).toContain('KCHAOS_BACKEND: docker');
  expect(docker).not.toMatch(/setup-java|setup-go|kchaos setup/);
});

test('the generated TypeScript and JavaScript parse', () => {
  const esbuild = require('esbuild');
  for (const [file, content] of Object.entries(scaffoldFiles(parseInitArgs([])))) {
    if (file.endsWith('.ts')) expect(() => esbuild.transformSync(content, { loader: 'ts', format: 'cjs' })).not.toThrow();
    if (file.endsWith('.cjs')) {
      const module = { exports: {} as Record<string, unknown> };
      new Function('module', content)(module);
      expect(module.exports.preset).toBe('kafka-chaos-harness/jest-preset');
    }
  }
});

test.each([
  [['--producer-module', 'a.ts', '--producer-command', 'x'], /exclude each other/],
  [['--producer-module', 'missing.ts'], /--producer-module missing\.ts: no file .*missing\.ts[\s\S]*fix:/],
  [['--ci', 'jenkins'], /--ci jenkins is not local or docker/],
  [['--producer-command', ' '], /--producer-command is empty/],
  [['--bogus'], /kchaos init: Unknown option '--bogus'[\s\S]*usage: kchaos init/],
])('kchaos init %j is a usage error naming the fix', (args, message) => {
  expect(() => parseInitArgs(args, repo)).toThrow(message);
});

test('withChaosEntries adds nothing twice', () => {
  const once = withChaosEntries({}).manifest;
  expect(withChaosEntries(once).added).toEqual([]);
});
