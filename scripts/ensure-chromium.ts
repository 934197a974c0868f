/**
 * `npm test`'s pretest: the browser test (reports/html-report.browser.test.ts) needs Chromium.
 * Found (CHROME_PATH, PATH, /usr/bin/chromium): nothing to do. Missing and running as root on a
 * system with apt-get: installs Debian's chromium. Otherwise prints what to run and leaves the
 * browser test to fail with the same message. KCHAOS_NO_CHROMIUM_INSTALL=1 never installs.
 * Always exits 0: the rest of the suite runs either way.
 */
import { spawnSync } from 'node:child_process';
import { lookupChromium } from '../reports/testing/find-chromium';

const log = (line: string) => process.stderr.write(`pretest: ${line}\n`);

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

function aptInstallChromium(): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log('Chromium not found; installing Debian\'s chromium (apt-get, running as root) for the browser test');
  for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', 'chromium']]) {
    const run = spawnSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) {
      log(`apt-get ${args.join(' ')} failed (exit ${run.status ?? run.signal}); the browser test will fail until Chromium is installed`);
      return false;
    }
  }
  return true;
}

function main(): void {
  const before = lookupChromium();
  if (before.found !== undefined) return;
  const isRoot = process.getuid?.() === 0;
  if (process.env.CHROME_PATH || process.env.KCHAOS_NO_CHROMIUM_INSTALL || !isRoot || !onPath('apt-get')) {
    log(`${before.error} — the browser test will fail until then`);
    return;
  }
  if (!aptInstallChromium()) return;
  const after = lookupChromium();
  log(after.found !== undefined ? `Chromium installed at ${after.found}` : `still no Chromium after apt-get: ${after.error}`);
}

main();
