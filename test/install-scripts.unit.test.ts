import fs from 'node:fs';
import path from 'node:path';

// npm ≥ 11 runs a dependency's install scripts only when package.json's allowScripts covers it
// (advisory today, blocking in a later release). Every installed package with an install-time
// script must have an entry: true for the ones the harness needs, false for the ones it does not.
const ROOT = path.resolve(__dirname, '..');
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

interface Installed {
  name: string;
  version: string;
  scripts: string[];
}

/** Every package under node_modules (nested ones too) whose install would run a script. */
function packagesWithInstallScripts(dir: string, found: Installed[] = []): Installed[] {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (entry.startsWith('@')) {
      packagesWithInstallScripts(full, found);
      continue;
    }
    const manifest = path.join(full, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string; version: string; scripts?: Record<string, string> };
    const scripts = INSTALL_SCRIPTS.filter((s) => pkg.scripts?.[s]);
    // A binding.gyp without install/preinstall makes npm run `node-gyp rebuild` on its own.
    if (scripts.length === 0 && fs.existsSync(path.join(full, 'binding.gyp'))) scripts.push('install');
    if (scripts.length > 0) found.push({ name: pkg.name, version: pkg.version, scripts });
    packagesWithInstallScripts(path.join(full, 'node_modules'), found);
  }
  return found;
}

const allowScripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).allowScripts ?? {}) as Record<string, boolean>;
const covers = (key: string, p: Installed) => key === p.name || key === `${p.name}@${p.version}`;

test('package.json allowScripts covers every installed package with an install script', () => {
  const installed = packagesWithInstallScripts(path.join(ROOT, 'node_modules'));
  expect(installed.map((p) => p.name)).toContain('node-rdkafka'); // the walk finds what we know is there
  const uncovered = installed.filter((p) => !Object.keys(allowScripts).some((key) => covers(key, p)));
  expect(uncovered.map((p) => `${p.name}@${p.version} (${p.scripts.join(', ')}): add "${p.name}": true or false to allowScripts`)).toEqual([]);
});

test('what the harness needs is allowed; no entry is stale', () => {
  // node-rdkafka compiles librdkafka; esbuild (through tsx, and the jest preset's transform) checks its binary.
  expect(allowScripts).toMatchObject({ 'node-rdkafka': true, esbuild: true });
  const installed = packagesWithInstallScripts(path.join(ROOT, 'node_modules'));
  // An optional dependency whose build failed is removed by npm (Confluent's client without
  // CKJS_LINKING=dynamic, where its prebuilt binary cannot be downloaded): its entry is not stale.
  const optional = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).optionalDependencies ?? {});
  const stale = Object.keys(allowScripts).filter((key) => !installed.some((p) => covers(key, p)) && !optional.includes(key));
  expect(stale).toEqual([]);
});
