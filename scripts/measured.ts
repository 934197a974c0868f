/**
 * The README's measured numbers, from committed files only:
 *   npx tsx scripts/measured.ts save RESULTS_JSON   compacts a --repeat run into docs/measured/<suite>-repeat.json,
 *                                                   its verdicts judged by the suite's expectations as they stand now
 *   npx tsx scripts/measured.ts readme [--check]    writes (or, with --check, verifies) the README's measured block
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measuredSummary, measuredTable, withMeasuredBlock, type MeasuredSummary } from '../reports/measured-table';
import { readResultsFile } from '../reports/results-file';
import { evaluateSpec } from '../harness/checker/expectations';
import { baseScenarioName, summarizeRepeats } from '../harness/repeat-summary';
import type { RunResults } from '../reports/results-types';
import { isSuiteName, SUITES } from '../scenarios/suites';

const ROOT = path.join(__dirname, '..');
const MEASURED_FILE = path.join(ROOT, 'docs', 'measured', 'seed-repeat.json');
const README = path.join(ROOT, 'README.md');
const USAGE = 'usage: scripts/measured.ts save RESULTS_JSON | readme [--check]';

/**
 * Counts are the run's; verdicts are re-judged with the suite's expectations as committed, so the
 * summary says how the pins in the code fare against every measured run (a run that errored stays
 * unknown).
 */
function judgedByCurrentPins(results: RunResults): RunResults {
  const suite = results.run.suite ?? '';
  if (!isSuiteName(suite)) throw new Error(`results.json is of suite "${suite}", not one of ${Object.keys(SUITES).join(', ')}`);
  const expectations = new Map(SUITES[suite]().map((s) => [s.name, s.expect]));
  const scenarios = results.scenarios.map((s) => {
    const expect = expectations.get(baseScenarioName(s.name));
    if (!expect) throw new Error(`scenario ${s.name} is no longer in suite ${suite}`);
    const holds = evaluateSpec(expect, s.counts).every((r) => r.pass);
    return { ...s, verdict: s.error ? ('unknown' as const) : holds ? ('pass' as const) : ('fail' as const) };
  });
  return { ...results, scenarios, repeatSummary: summarizeRepeats(scenarios) };
}

async function main(args: string[]): Promise<number> {
  const [command, arg] = args;
  if (command === 'save' && arg) {
    const summary = measuredSummary(judgedByCurrentPins(readResultsFile(arg)), { cores: os.cpus().length, node: process.versions.node });
    const out = path.join(ROOT, 'docs', 'measured', `${summary.suite}-repeat.json`);
    fs.writeFileSync(out, JSON.stringify(summary, null, 1) + '\n');
    console.log(`wrote ${path.relative(ROOT, out)} (${summary.scenarios.length} scenarios × ${summary.repeat})`);
    return 0;
  }
  if (command === 'readme') {
    const summary = JSON.parse(fs.readFileSync(MEASURED_FILE, 'utf8')) as MeasuredSummary;
    const current = fs.readFileSync(README, 'utf8');
    const next = withMeasuredBlock(current, measuredTable(summary));
    if (arg === '--check') {
      if (next === current) return 0;
      console.error('README.md measured block is out of date: run npx tsx scripts/measured.ts readme');
      return 1;
    }
    fs.writeFileSync(README, next);
    console.log('README.md measured block written');
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
