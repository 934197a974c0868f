/**
 * The transactions suite's measured numbers:
 *   npx tsx scripts/transactions-measured.ts save RESULTS_JSON…   writes docs/measured/transactions-repeat.{json,md}
 *   npx tsx scripts/transactions-measured.ts table                 writes the .md again from the committed .json
 * The summary is scripts/measured.ts' (reports/measured-table.ts' measuredSummary), verdicts judged
 * by the suite's pins as they stand, with one difference: a run that ended with an error (verdict
 * unknown, e.g. a read-back that timed out) is counted in `verdicts` but left out of the count
 * ranges, whose counts it does not have (an unread topic would read as "800 lost"). The table shows
 * the transaction counts, `duplicates` (a record twice inside one committed transaction) and the
 * producer counts the ack-loss comparison needs; the seed's table shows producer counts only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluateSpec } from '../harness/checker/expectations';
import { baseScenarioName, summarizeRepeats } from '../harness/repeat-summary';
import { measuredSummary, type MeasuredSummary } from '../reports/measured-table';
import { readResultsFile } from '../reports/results-file';
import type { RunResults } from '../reports/results-types';
import { SUITES } from '../scenarios/suites';

const FILE = path.join(__dirname, '..', 'docs', 'measured', 'transactions-repeat');

const COLUMNS = [
  'txnCommitted', 'txnAborted', 'txnUnknown', 'committedLost', 'abortedRead', 'tornTransactions', 'duplicatesAcrossTransactions',
  'duplicates', 'abortedWritten', 'lostAcked', 'exposedSends', 'attempted', 'observed',
] as const;

const cell = (r: [number, number, number] | undefined) => (!r ? '—' : r[0] === r[2] ? String(r[0]) : `${r[0]}–${r[2]}`);

export function transactionsTable(summary: MeasuredSummary): string {
  const minutes = Math.round(summary.durationMs / 60_000);
  const passed = summary.scenarios.reduce((n, s) => n + s.verdicts.pass, 0);
  const runs = summary.scenarios.reduce((n, s) => n + s.runs, 0);
  return [
    `\`kchaos run <the ${summary.scenarios.length} scenarios below> --repeat ${summary.repeat} --backend local\` finished ${summary.measuredAt.slice(0, 16)} UTC, ` +
      `Kafka ${summary.kafkaVersion}, ${summary.machine.cores} cores shared with other runs, Node ${summary.machine.node}, ${minutes} min: ` +
      `${passed} of ${runs} scenario runs passed the suite's pins as they stand. Each cell is min–max over the runs (from \`docs/measured/transactions-repeat.json\`).`,
    '',
    `| scenario | passed | unknown | ${COLUMNS.join(' | ')} |`,
    `|---|---|---|${COLUMNS.map(() => '---').join('|')}|`,
    ...summary.scenarios.map((s) => `| ${s.name.replace('transactions/', '')} | ${s.verdicts.pass}/${s.runs} | ${s.verdicts.unknown} | ${COLUMNS.map((c) => cell(s.ranges[c])).join(' | ')} |`),
  ].join('\n');
}

/** Runs of several results files as one (a later file's runs of a scenario replace an earlier's), judged by the suite's pins now. */
export function judgedRuns(runs: RunResults[]): RunResults {
  const expectations = new Map(SUITES.transactions().map((s) => [s.name, s.expect]));
  const owner = new Map<string, number>();
  runs.forEach((r, i) => r.scenarios.forEach((s) => owner.set(baseScenarioName(s.name), i)));
  const order = [...expectations.keys()];
  const scenarios = runs
    .flatMap((r, i) => r.scenarios.filter((s) => owner.get(baseScenarioName(s.name)) === i))
    .sort((a, b) => order.indexOf(baseScenarioName(a.name)) - order.indexOf(baseScenarioName(b.name)))
    .map((s) => {
      const expect = expectations.get(baseScenarioName(s.name));
      if (!expect) throw new Error(`scenario ${s.name} is not in the transactions suite`);
      return { ...s, verdict: s.error ? ('unknown' as const) : evaluateSpec(expect, s.counts).every((r) => r.pass) ? ('pass' as const) : ('fail' as const) };
    });
  const startedAt = runs.map((r) => r.run.startedAt).sort()[0];
  const finishedAt = runs.map((r) => r.run.finishedAt).sort().at(-1)!;
  // Verdicts over every run; count ranges over the runs that have counts (no error).
  const withData = new Map(summarizeRepeats(scenarios.filter((s) => !s.error)).map((e) => [e.name, e.ranges]));
  const repeatSummary = summarizeRepeats(scenarios).map((e) => ({ ...e, ranges: withData.get(e.name) ?? {} }));
  return { ...runs[0], run: { ...runs[0].run, suite: 'transactions', startedAt, finishedAt }, scenarios, repeatSummary };
}

function main(args: string[]): number {
  const [command, ...files] = args;
  if (command === 'save' && files.length > 0) {
    const summary = measuredSummary(judgedRuns(files.map(readResultsFile)), { cores: os.cpus().length, node: process.versions.node });
    fs.writeFileSync(`${FILE}.json`, JSON.stringify(summary, null, 1) + '\n');
  } else if (command !== 'table') {
    console.error('usage: scripts/transactions-measured.ts save RESULTS_JSON… | table');
    return 2;
  }
  const summary = JSON.parse(fs.readFileSync(`${FILE}.json`, 'utf8')) as MeasuredSummary;
  fs.writeFileSync(`${FILE}.md`, transactionsTable(summary) + '\n');
  console.log(`wrote docs/measured/transactions-repeat.{json,md} (${summary.scenarios.length} scenarios × ${summary.repeat})`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
