import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HarnessError } from '../harness/errors';

// chart.js 4's "exports" map hides dist/chart.umd.js from require.resolve, so the UMD build is
// found beside the package's CJS entry (dist/chart.cjs). The UMD build defines window.Chart
// with every controller and scale registered, which is what an inline <script> needs.
const UMD_FILES = ['chart.umd.js', 'chart.umd.min.js'];

let cached: string | undefined;

/** Chart.js's UMD source, read once per process; without its source-map comment (offline page). */
export function chartJsUmdSource(): string {
  if (cached !== undefined) return cached;
  let dir: string;
  try {
    dir = dirname(require.resolve('chart.js'));
  } catch (err) {
    throw new HarnessError('cannot find the chart.js package for the HTML report', { cause: err, hint: 'run `npm ci` in the project folder' });
  }
  for (const file of UMD_FILES) {
    try {
      cached = readFileSync(join(dir, file), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      return cached;
    } catch {
      // try the next name
    }
  }
  throw new HarnessError(`cannot read chart.js's UMD build (${UMD_FILES.join(' or ')}) in ${dir}`, {
    hint: 'reinstall dependencies with `npm ci`; chart.js 4.x ships dist/chart.umd.js',
  });
}
