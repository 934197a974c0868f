import fs from 'node:fs';
import path from 'node:path';
import { EXIT_EXPECTATION_FAILED, EXIT_PASS, HarnessError } from '../harness/errors';
import { createRunFolder, newRunId } from '../harness/run-folder';
import { parseCommandLine } from '../harness/cli-usage';
import { RESULTS_FILE } from './json-reporter';
import { mergeRuns, type MergeInput } from './merge-runs';
import { createReporterFanout } from './reporter-fanout';
import { createReporters, type ReporterName } from './registry';
import { readResultsFile } from './results-file';

/** The merged folder gets every file a run folder has; the console prints the merged table last. */
const MERGE_REPORTERS: readonly ReporterName[] = ['json', 'junit', 'html', 'console'];

/** A run folder, or its results.json given directly. */
function readRunFolder(arg: string): MergeInput {
  const file = arg.endsWith('.json') ? arg : path.join(arg, RESULTS_FILE);
  if (!fs.existsSync(file)) {
    throw new HarnessError(`${arg} has no ${RESULTS_FILE}`, { hint: 'pass run folders written by kchaos run (e.g. runs/<run-id>, or shard-1/latest after downloading a CI artifact)' });
  }
  return { dir: path.dirname(file), results: readResultsFile(file) };
}

/**
 * `kchaos merge RUN_DIR… [--out DIR]`: one run folder DIR/<merged-id>/ (and DIR/latest) from the
 * run folders of a sharded run, with results.json, junit.xml and report.html over all of them and
 * every scenario's history and observed records copied in, so the merged report reads them.
 * Exit 0 every expectation held and every shard is there, 1 some failed or the merge is incomplete,
 * 2 usage error or inputs that are not parts of one run.
 */
export async function mergeCommand(argv: readonly string[], log: (line: string) => void, reporters: readonly ReporterName[] = MERGE_REPORTERS): Promise<number> {
  const { values, positionals } = parseCommandLine('merge', argv, { out: { type: 'string', default: 'runs' } }, true);
  if (positionals.length === 0) throw new HarnessError('kchaos merge needs the run folders to merge', { hint: 'usage: kchaos merge RUN_DIR… [--out DIR], e.g. kchaos merge shard-1/latest shard-2/latest' });
  const inputs = positionals.map(readRunFolder);
  const runId = `merged-${newRunId()}`;
  const { results, copies, warnings } = mergeRuns(inputs, runId);

  const runDir = createRunFolder(values.out, runId);
  for (const copy of copies) {
    if (!fs.existsSync(copy.from)) {
      warnings.push(`${copy.from} is missing: its scenario's report section shows no history`);
      continue;
    }
    const target = path.join(runDir, copy.to);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(copy.from, target);
  }
  await createReporterFanout(createReporters(reporters)).onRunEnd(results, runDir);
  for (const warning of warnings) log(`merge: ${warning}`);
  log(`merge: ${results.scenarios.length} scenario(s) from ${inputs.length} run folder(s) written to ${runDir}`);
  const allPass = results.scenarios.every((s) => s.verdict === 'pass');
  return allPass && results.run.complete ? EXIT_PASS : EXIT_EXPECTATION_FAILED;
}
