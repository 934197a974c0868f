/**
 * The README's measured numbers, from committed files only:
 *   npx tsx scripts/measured.ts save SUITE RESULTS_JSON…   compacts --repeat runs of SUITE's scenarios (one run, or
 *                                                   several that split the suite between them) into
 *                                                   docs/measured/<suite>-repeat.json, verdicts judged by the
 *                                                   suite's expectations as they stand now; with --recheck,
 *                                                   every scenario's counts are re-checked from its archived
 *                                                   history and observed files by the checker as it stands;
 *                                                   with --merge, the run (of one prefix, e.g. seed/confluent/)
 *                                                   is merged into the committed summary: its rows replace or
 *                                                   join the others, which are kept as committed; with
 *                                                   --condition NAME --why TEXT, the run's rows are filed
 *                                                   beside the main rows as evidence under that condition of
 *                                                   the machine (e.g. one core busy), and pins must hold there too
 *   npx tsx scripts/measured.ts readme [--check]    writes (or, with --check, verifies) the README's generated blocks:
 *                                                   the seed table, and the four faults compared (seed and
 *                                                   partitions summaries)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAULTS_COMPARED_END, FAULTS_COMPARED_START, measuredSummary, mergeSummaries, withMeasuredBlock, type MeasuredSummary } from '../reports/measured-table';
import { measuredTableWithConditions, withCondition } from '../reports/measured-conditions';
import { faultComparisonTable } from '../reports/fault-comparison-table';
import { readResultsFile } from '../reports/results-file';
import { checkFiles } from '../harness/check-command';
import type { RunResults } from '../reports/results-types';
import { isSuiteName, SUITES } from '../scenarios/suites';
import { judgedByCurrentPins, mergedRuns } from './judged-runs';
import { withoutEmptyMerges } from './merged-owners';

const ROOT = path.join(__dirname, '..');
const measuredFile = (suite: string) => path.join(ROOT, 'docs', 'measured', `${suite}-repeat.json`);
const readSummary = (suite: string) => JSON.parse(fs.readFileSync(measuredFile(suite), 'utf8')) as MeasuredSummary;
const README = path.join(ROOT, 'README.md');
const USAGE = 'usage: scripts/measured.ts save SUITE RESULTS_JSON… [--recheck] [--merge | --condition NAME --why TEXT] | readme [--check]';

/** The run with every scenario's counts re-checked offline from its archived files (kchaos check's path). */
async function rechecked(file: string, results: RunResults): Promise<RunResults> {
  const runDir = path.dirname(file);
  const scenarios = [];
  for (const s of results.scenarios) {
    const checked = await checkFiles(path.join(runDir, s.artifacts.history), path.join(runDir, s.artifacts.observed));
    if (checked.error) throw new Error(`re-checking ${s.name}: ${checked.error}`);
    scenarios.push({ ...s, counts: checked.counts });
  }
  return { ...results, scenarios };
}

/** The value after `flag`, or undefined when the flag is absent; a flag without a value is an error. */
function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
  return value;
}

async function main(args: string[]): Promise<number> {
  const [command, arg, ...rest] = args;
  const recheck = rest.includes('--recheck');
  const merge = rest.includes('--merge');
  const condition = valueOf(rest, '--condition');
  const why = valueOf(rest, '--why');
  if ((condition === undefined) !== (why === undefined)) throw new Error('--condition NAME and --why TEXT go together: name the condition and say what the machine was doing');
  if (condition !== undefined && merge) throw new Error('--condition files rows beside the main ones; leave out --merge');
  // Everything but the flags and the values after --condition and --why.
  const files = rest.filter((a, i) => !['--recheck', '--merge', '--condition', '--why'].includes(a) && !['--condition', '--why'].includes(rest[i - 1]));
  if (command === 'save' && arg && files.length > 0) {
    const runs = await Promise.all(files.map(async (file) => (recheck ? rechecked(file, readResultsFile(file)) : readResultsFile(file))));
    const results = judgedByCurrentPins(arg, mergedRuns(runs));
    const measured = measuredSummary(results, { cores: os.cpus().length, node: process.versions.node }, files.length);
    const order = isSuiteName(arg) ? SUITES[arg]().map((s) => s.name) : [];
    const summary =
      condition !== undefined ? withCondition(readSummary(measured.suite), measured, condition, why!)
      : merge ? withoutEmptyMerges(mergeSummaries(readSummary(measured.suite), measured, order))
      : measured;
    const out = measuredFile(summary.suite);
    fs.writeFileSync(out, JSON.stringify(summary, null, 1) + '\n');
    console.log(`wrote ${path.relative(ROOT, out)} (${summary.scenarios.length} scenarios × ${summary.repeat})`);
    return 0;
  }
  if (command === 'readme') {
    const seed = readSummary('seed');
    const current = fs.readFileSync(README, 'utf8');
    const withSeed = withMeasuredBlock(current, measuredTableWithConditions(seed));
    // The comparison needs the partitions suite's packet-fault runs as well as the seed's.
    const next = fs.existsSync(measuredFile('partitions'))
      ? withMeasuredBlock(withSeed, faultComparisonTable([seed, readSummary('partitions')]), FAULTS_COMPARED_START, FAULTS_COMPARED_END)
      : withSeed;
    if (arg === '--check') {
      if (next === current) return 0;
      console.error('README.md generated blocks are out of date: run npx tsx scripts/measured.ts readme');
      return 1;
    }
    fs.writeFileSync(README, next);
    console.log('README.md generated blocks written');
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
