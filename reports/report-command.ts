import { dirname, join } from 'node:path';
import { EXIT_PASS, HarnessError } from '../harness/errors';
import { readBaselineFile } from './baseline';
import { parseCommandArgs, runCommand, type CommandOutput } from './command-io';
import { HTML_REPORT_FILE, renderHtmlReport } from './html-reporter';
import { readResultsFile } from './results-file';
import { writeFileAtomic } from './write-file-atomic';

export const REPORT_USAGE = 'kchaos report RESULTS [--out FILE] [--baseline FILE]';

/**
 * `kchaos report RESULTS [--out FILE] [--baseline FILE]`: renders report.html again from a
 * results.json (its scenarios' history files are read relative to the results' folder), with
 * each scenario compared against a baseline when one is given. Exit 0 written, 2 usage error or
 * a file that cannot be read.
 */
export function reportCommand(argv: readonly string[], out: CommandOutput): number {
  return runCommand(out, () => {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: 'string', short: 'o' }, baseline: { type: 'string', short: 'b' }, help: { type: 'boolean', short: 'h' },
    }, REPORT_USAGE);
    if (values.help) {
      out.log(`usage: ${REPORT_USAGE}`);
      return EXIT_PASS;
    }
    if (positionals.length !== 1) throw new HarnessError(`report takes one results file, got ${positionals.length}`, { hint: `usage: ${REPORT_USAGE}` });
    const resultsPath = positionals[0];
    const results = readResultsFile(resultsPath);
    const baseline = values.baseline ? readBaselineFile(values.baseline) : undefined;
    const runDir = dirname(resultsPath);
    const target = values.out ?? join(runDir, HTML_REPORT_FILE);
    const page = renderHtmlReport(results, runDir, { baseline });
    try {
      writeFileAtomic(target, page);
    } catch (err) {
      throw new HarnessError(`cannot write the report to ${target}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
        cause: err, hint: 'choose a writable path with --out',
      });
    }
    out.log(`report: ${results.scenarios.length} scenario(s) written to ${target} (${Math.round(Buffer.byteLength(page) / 1024)} KB)${baseline ? `, compared with ${values.baseline}` : ''}`);
    return EXIT_PASS;
  });
}
