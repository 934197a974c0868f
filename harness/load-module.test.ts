import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { needsTypeScriptLoader } from './load-module';
import { packageRoot } from './package-root';

test('tsx is needed for a TypeScript file only where nothing handles .ts yet, and never under jest', () => {
  expect(needsTypeScriptLoader('/p/scenario.ts', {}, {})).toBe(true);
  expect(needsTypeScriptLoader('/p/producer.mts', { '.js': 1 }, {})).toBe(true);
  expect(needsTypeScriptLoader('/p/producer.js', {}, {})).toBe(false);
  expect(needsTypeScriptLoader('/p/s.scenario.ts', { '.ts': () => {} }, {})).toBe(false); // tsx CLI, ts-node
  expect(needsTypeScriptLoader('/p/s.scenario.ts', {}, { JEST_WORKER_ID: '1' })).toBe(false);
});

test('packageRoot finds the package folder from the sources and says so when there is none', () => {
  expect(packageRoot()).toBe(path.resolve(__dirname, '..'));
  expect(packageRoot(path.join(__dirname, 'clients'))).toBe(path.resolve(__dirname, '..'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-root-'));
  try {
    expect(() => packageRoot(outside)).toThrow(/no package.json named kafka-chaos-harness above .*reinstall/);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('in plain Node, a TypeScript module loads through tsx registered on demand; JavaScript never loads tsx', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-load-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.ts'), 'export const answer: number = 42;\n');
    fs.writeFileSync(path.join(dir, 'm.js'), 'exports.answer = 41;\n');
    // The loader itself is TypeScript here, so it is stripped by esbuild (what the preset transform uses) first.
    const probe = (file: string) => `
      const { requireModule } = require(${JSON.stringify(path.join(dir, 'load-module.js'))});
      const m = requireModule(${JSON.stringify(path.join(dir, file))});
      const tsx = Object.keys(require.cache).some((k) => k.includes('/node_modules/tsx/'));
      console.log(JSON.stringify({ answer: m.answer, tsx }));`;
    const { code } = require('esbuild').transformSync(fs.readFileSync(path.join(__dirname, 'load-module.ts'), 'utf8'), { loader: 'ts', format: 'cjs' });
    fs.writeFileSync(path.join(dir, 'load-module.js'), code);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: path.resolve(__dirname, '..', 'node_modules') }; // tsx, from the copy in a temp folder
    delete env.JEST_WORKER_ID;
    const run = (file: string) => {
      const child = spawnSync(process.execPath, ['-e', probe(file)], { env, encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      return JSON.parse(child.stdout);
    };
    expect(run('m.js')).toEqual({ answer: 41, tsx: false });
    expect(run('m.ts')).toEqual({ answer: 42, tsx: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
