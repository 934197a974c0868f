import fs from 'node:fs';
import path from 'node:path';

/** The package's name in package.json: how packageRoot recognises its folder. */
export const PACKAGE_NAME = 'kafka-chaos-harness';

let cached: string | undefined;

/**
 * The folder holding the package's package.json, found by walking up from this file: the same
 * answer from the sources (harness/) and from the compiled build (dist/harness/), so files shipped
 * beside the code (java/KchaosProducerDriver.java) are found either way.
 */
export function packageRoot(from: string = __dirname): string {
  if (from === __dirname && cached) return cached;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
          if (from === __dirname) cached = dir;
          return dir;
        }
      } catch {
        // not ours (or unreadable): keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json named ${PACKAGE_NAME} above ${from}; the package's files are incomplete: reinstall kafka-chaos-harness`);
  }
}
