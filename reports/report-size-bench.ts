import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtmlReport } from './html-reporter';
import { readResultsFile } from './results-file';

/**
 * How large and how slow report.html gets for a real run, and for that run's scenarios repeated
 * up to N (their history files are shared, so the copies weigh what real ones would):
 *
 *   npx tsx reports/report-size-bench.ts RUN_DIR [N=500] [OUT_DIR=/tmp]
 *
 * A size measure only: the copies are not a run, and their verdicts mean nothing.
 */
function main(): void {
  const [runDir, n = '500', outDir = '/tmp'] = process.argv.slice(2);
  if (!runDir) throw new Error('usage: npx tsx reports/report-size-bench.ts RUN_DIR [N=500] [OUT_DIR=/tmp]');
  const results = readResultsFile(join(runDir, 'results.json'));
  const measure = (label: string, scenarios: typeof results.scenarios, file: string) => {
    const started = Date.now();
    const page = renderHtmlReport({ ...results, scenarios }, runDir);
    const ms = Date.now() - started;
    writeFileSync(join(outDir, file), page);
    process.stdout.write(`${label}: ${scenarios.length} scenarios, ${(Buffer.byteLength(page) / 1e6).toFixed(2)} MB, rendered in ${ms} ms → ${join(outDir, file)}\n`);
  };
  measure('run as is', results.scenarios, 'report-bench-run.html');
  const copies = Array.from({ length: Number(n) }, (_, i) => {
    const s = results.scenarios[i % results.scenarios.length];
    return { ...s, name: `${s.name}~${Math.floor(i / results.scenarios.length) + 1}` };
  });
  measure(`repeated to ${n}`, copies, 'report-bench-copies.html');
}

main();
