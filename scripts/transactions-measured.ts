/**
 * The transactions suite's measured numbers:
 *   npx tsx scripts/transactions-measured.ts save RESULTS_JSON…   writes docs/measured/transactions-repeat.{json,md}
 *   npx tsx scripts/transactions-measured.ts table                 writes the .md again from the committed .json
 *   … save --as java RESULTS_JSON…                                 docs/measured/transactions-java-repeat.{json,md}: rows measured on their own
 *   … save [--as NAME] --merge RESULTS_JSON…                       one client's re-measured rows replace or join the committed summary's
 *                                                                  (the first run's results files are not kept; its rows are)
 * The summary is scripts/measured.ts' (reports/measured-table.ts' measuredSummary, runs judged by
 * scripts/judged-runs.ts: a run that ended with an error counts in `verdicts` but not in the count
 * ranges). The table shows
 * the transaction counts, `duplicates` (a record twice inside one committed transaction) and the
 * producer counts the ack-loss comparison needs; the seed's table shows producer counts only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measuredSummary, mergeSummaries, range, type MeasuredSummary } from '../reports/measured-table';
import { SUITES } from '../scenarios/suites';
import { readResultsFile } from '../reports/results-file';
import { judgedByCurrentPins, mergedRuns } from './judged-runs';
import { laterRunsClause } from './merged-owners';

const FILE = path.join(__dirname, '..', 'docs', 'measured', 'transactions-repeat');

const COLUMNS = [
  'txnCommitted', 'txnAborted', 'txnUnknown', 'committedLost', 'abortedRead', 'tornTransactions', 'duplicatesAcrossTransactions',
  'duplicates', 'abortedWritten', 'lostAcked', 'exposedSends', 'attempted', 'observed',
] as const;

const cell = (r: [number, number, number] | undefined) => (r ? range(r) : '—');

export function transactionsTable(summary: MeasuredSummary, name = 'transactions-repeat'): string {
  const minutes = Math.round(summary.durationMs / 60_000);
  const passed = summary.scenarios.reduce((n, s) => n + s.verdicts.pass, 0);
  const runs = summary.scenarios.reduce((n, s) => n + s.runs, 0);
  return [
    `\`kchaos run <the ${summary.scenarios.length} scenarios below> --repeat ${summary.repeat} --backend local\` finished ${summary.measuredAt.slice(0, 16)} UTC, ` +
      `Kafka ${summary.kafkaVersion}, ${summary.machine.cores} cores shared with other runs, Node ${summary.machine.node}, ${minutes} min${laterRunsClause(summary, { kafkaVersion: true })}: ` +
      `${passed} of ${runs} scenario runs passed the suite's pins as they stand. Each cell is min–max over the runs (from \`docs/measured/${name}.json\`).`,
    '',
    `| scenario | passed | unknown | ${COLUMNS.join(' | ')} |`,
    `|---|---|---|${COLUMNS.map(() => '---').join('|')}|`,
    ...summary.scenarios.map((s) => `| ${s.name.replace('transactions/', '')} | ${s.verdicts.pass}/${s.runs} | ${s.verdicts.unknown} | ${COLUMNS.map((c) => cell(s.ranges[c])).join(' | ')} |`),
  ].join('\n');
}

/** `--as NAME` writes docs/measured/transactions-NAME-repeat.{json,md} instead (a client's rows measured on their own, e.g. java). */
export function summaryFile(args: string[]): { file: string; rest: string[] } {
  if (args[0] !== '--as') return { file: FILE, rest: args };
  if (!/^[a-z0-9-]+$/.test(args[1] ?? '')) throw new Error(`--as needs a name of lowercase letters, digits and dashes (e.g. --as java), got ${JSON.stringify(args[1])}`);
  return { file: path.join(path.dirname(FILE), `transactions-${args[1]}-repeat`), rest: args.slice(2) };
}

function main(args: string[]): number {
  const [command, ...more] = args;
  const { file, rest } = summaryFile(more);
  const merge = rest.includes('--merge');
  const files = rest.filter((a) => a !== '--merge');
  if (command === 'save' && files.length > 0) {
    const measured = measuredSummary(judgedByCurrentPins('transactions', mergedRuns(files.map(readResultsFile))), { cores: os.cpus().length, node: process.versions.node });
    const order = SUITES.transactions().map((s) => s.name);
    const summary = merge ? mergeSummaries(JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as MeasuredSummary, measured, order) : measured;
    fs.writeFileSync(`${file}.json`, JSON.stringify(summary, null, 1) + '\n');
  } else if (command !== 'table') {
    console.error('usage: scripts/transactions-measured.ts save [--as NAME] [--merge] RESULTS_JSON… | table [--as NAME]');
    return 2;
  }
  const summary = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as MeasuredSummary;
  fs.writeFileSync(`${file}.md`, transactionsTable(summary, path.basename(file)) + '\n');
  console.log(`wrote ${path.relative(path.join(__dirname, '..'), file)}.{json,md} (${summary.scenarios.length} scenarios × ${summary.repeat})`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
