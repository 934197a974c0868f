/**
 * Summarizes repeated runs of one suite in lanes (each `kchaos run … --parallel N` a run folder)
 * into one JSON file for docs/measured: per run, the span results.json records, how many passed,
 * and every expectation that failed, by scenario. Whether the verdicts are "the same as
 * sequential" is read against the pins, which were set from sequential runs.
 *
 *   npx tsx scripts/lanes-repeat-summary.ts --what TEXT --command TEXT [--wall FILE] RUN_FOLDER… > out.json
 *
 * --wall FILE: lines "run <i> … wall=<seconds> load=<1m> <5m> <15m> folder=<name>" (the loop's log);
 * the wall time and load of each folder are taken from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeExpectation } from '../reports/expectation-text';
import { readResultsFile } from '../reports/results-file';
import { failedConsumerExpectations } from '../reports/section-counts';

const USAGE = 'usage: npx tsx scripts/lanes-repeat-summary.ts --what TEXT --command TEXT [--wall FILE] RUN_FOLDER…';

function wallTimes(file: string | undefined): Map<string, { wall: number; load: string }> {
  const byFolder = new Map<string, { wall: number; load: string }>();
  if (!file) return byFolder;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /wall=([\d.]+) load=([\d. ]+?) folder=(\S+)/.exec(line);
    if (match) byFolder.set(match[3], { wall: Number(Number(match[1]).toFixed(2)), load: match[2] });
  }
  return byFolder;
}

function main(args: string[]): void {
  const { values, positionals: folders } = parseArgs({
    args,
    allowPositionals: true,
    options: { what: { type: 'string' }, command: { type: 'string' }, wall: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || args.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { what, command } = values;
  if (!what || !command) throw new Error('--what and --command are required (say what was measured and how)');
  if (folders.length === 0) throw new Error('no RUN_FOLDER given: name the run folders of the repeats (kchaos run … --out DIR writes DIR/<run-id>/)');
  const walls = wallTimes(values.wall);
  const runs = folders.map((folder, i) => {
    const file = path.join(folder, 'results.json');
    if (!fs.existsSync(file)) return { run: i + 1, folder: path.basename(folder), outcome: 'no results.json (the run did not finish)' };
    const results = readResultsFile(file);
    const span = (Date.parse(results.run.finishedAt) - Date.parse(results.run.startedAt)) / 1000;
    const notPassed = results.scenarios
      .filter((s) => s.verdict !== 'pass')
      // The words the console, JUnit and HTML reports use for a failed expectation.
      .map((s) => ({ name: s.name, verdict: s.verdict, failing: [...s.expectations.filter((e) => !e.pass).map(describeExpectation), ...failedConsumerExpectations(s)], ...(s.error ? { error: s.error } : {}) }));
    const wall = walls.get(path.basename(folder));
    return {
      run: i + 1,
      folder: path.basename(folder),
      ...(wall ? { wallSecondsOfTheCommand: wall.wall, loadAvgAtEnd: wall.load } : {}),
      resultsSpanSeconds: Number(span.toFixed(1)),
      complete: results.run.complete,
      passed: results.scenarios.filter((s) => s.verdict === 'pass').length,
      scenarios: results.scenarios.length,
      notPassed,
    };
  });
  const clean = runs.filter((r) => 'notPassed' in r && r.notPassed.length === 0 && r.complete).length;
  process.stdout.write(`${JSON.stringify({ what, command, runs, runsWithEveryVerdictAsPinned: `${clean} of ${runs.length}` }, null, 1)}\n`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
