import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import globalSetup from './global-setup';
import globalTeardown from './global-teardown';
import { parseClusterInfo, sharedClusterInfo, sharedRunDir } from './shared-cluster';

const upOutput = { directBootstrap: '127.0.0.1:9001', proxiedBootstrap: '127.0.0.1:9101', toxiproxy: 'http://127.0.0.1:8474', brokers: [] };

test('parseClusterInfo takes the JSON `kchaos cluster up` prints', () => {
  expect(parseClusterInfo(JSON.stringify(upOutput))).toEqual(upOutput);
});

test.each([
  ['{not json', /KCHAOS_CLUSTER is not JSON[\s\S]*kchaos cluster up/],
  ['"a string"', /KCHAOS_CLUSTER is not a JSON object/],
  [JSON.stringify({ toxiproxy: 'http://127.0.0.1:8474' }), /KCHAOS_CLUSTER has no directBootstrap/],
  [JSON.stringify({ directBootstrap: '127.0.0.1:9001' }), /KCHAOS_CLUSTER has no toxiproxy/],
])('parseClusterInfo rejects %s with what to put there', (raw, message) => {
  expect(() => parseClusterInfo(raw)).toThrow(message);
});

test("KCHAOS_CLUSTER wins over the harness's own test cluster; neither gives undefined", () => {
  const own = { ...upOutput, directBootstrap: '127.0.0.1:7777' };
  expect(sharedClusterInfo({ KCHAOS_CLUSTER: JSON.stringify(upOutput), KCHAOS_TEST_CLUSTER: JSON.stringify(own) })).toEqual(upOutput);
  expect(sharedClusterInfo({ KCHAOS_TEST_CLUSTER: JSON.stringify(own) })).toEqual(own);
  expect(sharedClusterInfo({})).toBeUndefined();
  expect(sharedRunDir({ KCHAOS_RUN_DIR: '/r', KCHAOS_TEST_RUN_DIR: '/t' })).toBe('/r');
  expect(sharedRunDir({})).toBeUndefined();
});

describe('global setup given a KCHAOS_CLUSTER that does not answer', () => {
  const saved = { ...process.env };
  let rootDir: string;
  beforeEach(() => {
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-preset-unit-'));
    delete process.env.KCHAOS_RUN_DIR;
    process.env.KCHAOS_CLUSTER = JSON.stringify({ ...upOutput, toxiproxy: 'http://127.0.0.1:1' });
  });
  afterEach(async () => {
    await globalTeardown();
    process.env = { ...saved };
    fs.rmSync(rootDir, { recursive: true, force: true });
  });

  test('fails once, saying what it could not reach, and starts no cluster', async () => {
    await expect(globalSetup(undefined, { rootDir })).rejects.toThrow(/cannot reach the Toxiproxy API at http:\/\/127\.0\.0\.1:1/);
    expect(process.env.KCHAOS_RUN_DIR).toMatch(/\/runs\/jest-/);
  });
});

test('jest-preset.js names files that exist and wires setup, teardown, matchers and the transform', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const preset = require('./jest-preset.js');
  for (const file of [preset.globalSetup, preset.globalTeardown, ...preset.setupFilesAfterEnv, ...Object.values(preset.transform)]) {
    expect(fs.existsSync(file as string)).toBe(true);
  }
  expect(preset.maxWorkers).toBe(1);
  expect(new RegExp(preset.transformIgnorePatterns[0]).test('/repo/node_modules/kafkajs/index.js')).toBe(true);
  expect(new RegExp(preset.transformIgnorePatterns[0]).test('/repo/node_modules/kafka-chaos-harness/harness/index.ts')).toBe(false);
});

test('the preset transform turns TypeScript into CommonJS', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const transformer = require('./transform.js');
  const { code } = transformer.process("import path from 'node:path';\nexport const f = (x: number): string => path.join(String(x));\n", '/x/f.ts');
  const module = { exports: {} as { f?: (x: number) => string } };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  expect(module.exports.f?.(3)).toBe('3');
  expect(transformer.getCacheKey('a', '/x/f.ts')).not.toBe(transformer.getCacheKey('b', '/x/f.ts'));
});
