import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// What the published package promises, checked against the sources without a build: every
// exports/bin/main target is shipped by `files` and is either a shipped file or the compiled form
// of a source that tsconfig.build.json compiles. (test/consumer-project.ts installs the real tarball.)
const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const build = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));

/** The exports map's targets, flattened over conditions. */
function exportTargets(): string[] {
  const targets: string[] = [];
  const walk = (value: unknown) => (typeof value === 'string' ? targets.push(value) : Object.values(value as object).forEach(walk));
  walk(pkg.exports);
  return targets;
}

/** dist/<x>.js or .d.ts → the <x>.ts source; undefined for files that are shipped as they are. */
function sourceOf(target: string): string | undefined {
  const match = /^\.?\/?dist\/(.+)\.(?:js|d\.ts)$/.exec(target);
  return match ? `${match[1]}.ts` : undefined;
}

function shippedByFiles(target: string): boolean {
  const file = target.replace(/^\.\//, '');
  return (pkg.files as string[]).some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : entry.includes('*') ? new RegExp(`^${entry.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(file) : file === entry));
}

test("exports map '.', './jest-preset' (CJS and ESM, with types) and './package.json'", () => {
  expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './jest-preset', './jest-preset/jest-preset', './package.json']));
  for (const entry of ['.', './jest-preset']) expect(Object.keys(pkg.exports[entry])).toEqual(['types', 'default']);
  expect(pkg.main).toBe(pkg.exports['.'].default.replace(/^\.\//, ''));
  expect(pkg.types).toBe(pkg.exports['.'].types.replace(/^\.\//, ''));
  // TypeScript projects on moduleResolution node10 ignore exports: typesVersions gives them the subpath's types.
  expect(pkg.typesVersions['*']['jest-preset']).toEqual([pkg.exports['./jest-preset'].types.replace(/^\.\//, '')]);
});

test('every export, main and bin target is shipped and exists (as a file, or as a source the build compiles)', () => {
  const targets = [...exportTargets(), pkg.main, pkg.types, ...Object.values(pkg.bin as Record<string, string>), 'java/KchaosProducerDriver.java', 'jest-preset/transform.js'];
  const problems: string[] = [];
  for (const target of targets) {
    if (target !== './package.json' && !shippedByFiles(target)) problems.push(`${target}: not in package.json files`);
    const source = sourceOf(target);
    const file = source ?? target.replace(/^\.\//, '');
    if (!fs.existsSync(path.join(ROOT, file))) problems.push(`${target}: ${file} does not exist`);
    if (source && !(build.include as string[]).some((dir) => source.startsWith(`${dir}/`))) problems.push(`${target}: ${source} is outside tsconfig.build.json's include`);
  }
  expect(problems).toEqual([]);
});

test('installed (no .ts beside it), the preset names the compiled files; in this checkout, the sources', () => {
  const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-shape-'));
  try {
    fs.mkdirSync(path.join(fake, 'jest-preset'));
    fs.copyFileSync(path.join(ROOT, 'jest-preset', 'jest-preset.js'), path.join(fake, 'jest-preset', 'jest-preset.js'));
    const installed = require(path.join(fake, 'jest-preset', 'jest-preset.js'));
    expect(installed.globalSetup).toBe(path.join(fake, 'dist', 'jest-preset', 'global-setup.js'));
    expect(installed.globalTeardown).toBe(path.join(fake, 'dist', 'jest-preset', 'global-teardown.js'));
    expect(installed.setupFilesAfterEnv).toEqual([path.join(fake, 'dist', 'jest-preset', 'setup-matchers.js')]);
    const checkout = require(path.join(ROOT, 'jest-preset', 'jest-preset.js'));
    expect(checkout.globalSetup).toBe(path.join(ROOT, 'jest-preset', 'global-setup.ts'));
  } finally {
    fs.rmSync(fake, { recursive: true, force: true });
  }
});

test('npm install builds dist/ (prepare), and dist/ is never committed', () => {
  expect(pkg.scripts.prepare).toMatch(/npm run build/);
  expect(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('dist/');
});
