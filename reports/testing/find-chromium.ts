import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the browser test finds Chromium, first found wins: CHROME_PATH (must name an executable),
 * then `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on PATH, then
 * Debian's /usr/bin/chromium. Missing: one error naming what was tried and the command to run.
 */

export const CHROME_PATH_ENV = 'CHROME_PATH';
export const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;
/** Debian's package (`apt-get install -y chromium`). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const INSTALL_COMMAND = 'sudo apt-get install -y chromium';

export type ChromiumLookup = { found: string; via: string } | { found: undefined; error: string };

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function lookupChromium(env: NodeJS.ProcessEnv = process.env, debianPath = DEBIAN_CHROMIUM): ChromiumLookup {
  const given = env[CHROME_PATH_ENV];
  if (given) {
    if (isExecutable(given)) return { found: given, via: CHROME_PATH_ENV };
    return { found: undefined, error: `${CHROME_PATH_ENV}=${given} is not an executable file; fix: point ${CHROME_PATH_ENV} at a Chromium or Chrome binary, or unset it` };
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return { found: candidate, via: 'PATH' };
    }
  }
  if (isExecutable(debianPath)) return { found: debianPath, via: 'Debian path' };
  return {
    found: undefined,
    error:
      `Chromium not found (${CHROME_PATH_ENV} unset; none of ${PATH_NAMES.join(', ')} on PATH; no ${debianPath}); ` +
      `fix: run \`${INSTALL_COMMAND}\` (Debian; \`npm test\` does it itself when run as root), or set ${CHROME_PATH_ENV}=/path/to/chrome`,
  };
}

/** The Chromium to launch, or an Error saying what was tried and what to run. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const lookup = lookupChromium(env);
  if (lookup.found === undefined) throw new Error(lookup.error);
  return lookup.found;
}
