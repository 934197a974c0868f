/**
 * The copier rows' measured numbers (scenarios/transactions-copier.ts):
 *   npx tsx scripts/transactions-copier-measured.ts save RESULTS_JSON…   writes docs/measured/transactions-copier-repeat.{json,md}
 *   npx tsx scripts/transactions-copier-measured.ts table                 writes the .md again from the committed .json
 *   … save --merge RESULTS_JSON…   re-measured rows replace or join the committed summary's (earlier runs' folders are not kept)
 * The summary is scripts/transactions-measured.ts' (measuredSummary of the runs judged by the pins as
 * they stand, scripts/judged-runs.ts) plus, per scenario, what each run's copy-check.json says
 * (read next to its results.json): exactly once or not, copier incarnations, and for the zombie
 * rows whether the resumed old copier's late transactions were rejected.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseScenarioName } from '../harness/repeat-summary';
import type { CopyCheckFile } from '../harness/transactions/run-copier-scenario';
import { measuredSummary, mergeSummaries, range, type MeasuredSummary } from '../reports/measured-table';
import { SUITES } from '../scenarios/suites';
import { readResultsFile } from '../reports/results-file';
import { judgedByCurrentPins, mergedRuns } from './judged-runs';
import { laterRunsClause } from './merged-owners';

const FILE = path.join(__dirname, '..', 'docs', 'measured', 'transactions-copier-repeat');

const COLUMNS = ['lostAcked', 'duplicates', 'abortedRead', 'unexpected', 'committedLost', 'tornTransactions', 'duplicatesAcrossTransactions', 'txnCommitted', 'txnAborted', 'txnUnknown', 'abortedWritten'] as const;

/** Per scenario, over its runs without error: copy-check.json facts. */
export interface CopierFacts {
  runs: number;
  exactlyOnce: number;
  copiers: [number, number];
  /** Zombie rows: runs whose zombie began a late transaction; of its late transactions, how many were rejected / committed. */
  zombie?: { runsWithLateTransactions: number; lateTransactions: number; lateTransactionsRejected: number; lateCommitsAccepted: number; firstLateErrors: string[] };
}

type CopierSummary = MeasuredSummary & { copier: Record<string, CopierFacts> };

function copierFacts(files: string[]): Record<string, CopierFacts> {
  const facts: Record<string, CopierFacts> = {};
  const runs = files.map(readResultsFile);
  // As mergedRuns: a later file's runs of a scenario replace an earlier file's (a row re-measured after a change).
  const owner = new Map<string, number>();
  runs.forEach((r, i) => r.scenarios.forEach((s) => owner.set(baseScenarioName(s.name), i)));
  for (const [i, file] of files.entries()) {
    for (const s of runs[i].scenarios) {
      if (s.error || !s.artifacts.copyCheck || owner.get(baseScenarioName(s.name)) !== i) continue;
      const check = JSON.parse(fs.readFileSync(path.join(path.dirname(file), s.artifacts.copyCheck), 'utf8')) as CopyCheckFile;
      const name = baseScenarioName(s.name);
      const f = (facts[name] ??= { runs: 0, exactlyOnce: 0, copiers: [Infinity, 0] });
      f.runs++;
      if (check.exactlyOnce) f.exactlyOnce++;
      f.copiers = [Math.min(f.copiers[0], check.copiers), Math.max(f.copiers[1], check.copiers)];
      if (check.zombie) {
        const z = (f.zombie ??= { runsWithLateTransactions: 0, lateTransactions: 0, lateTransactionsRejected: 0, lateCommitsAccepted: 0, firstLateErrors: [] });
        if (check.zombie.lateTransactions > 0) z.runsWithLateTransactions++;
        z.lateTransactions += check.zombie.lateTransactions;
        z.lateTransactionsRejected += check.zombie.lateTransactionsRejected;
        z.lateCommitsAccepted += check.zombie.lateCommitsAccepted;
        const error = check.zombie.firstLateError?.slice(0, 120);
        if (error && !z.firstLateErrors.includes(error)) z.firstLateErrors.push(error);
      }
    }
  }
  return facts;
}

const cell = (r: [number, number, number] | undefined) => (r ? range(r) : '—');

export function copierTable(summary: CopierSummary): string {
  const minutes = Math.round(summary.durationMs / 60_000);
  const passed = summary.scenarios.reduce((n, s) => n + s.verdicts.pass, 0);
  const runs = summary.scenarios.reduce((n, s) => n + s.runs, 0);
  const zombieCell = (f: CopierFacts | undefined) =>
    f?.zombie ? `${f.zombie.lateTransactionsRejected} of ${f.zombie.lateTransactions} late txns rejected (${f.zombie.runsWithLateTransactions} runs), ${f.zombie.lateCommitsAccepted} late commits accepted` : '—';
  return [
    `\`kchaos run <the ${summary.scenarios.length} scenarios below> --repeat ${summary.repeat} --parallel 1 --backend local\` finished ${summary.measuredAt.slice(0, 16)} UTC, ` +
      `Kafka ${summary.kafkaVersion}, ${summary.machine.cores} cores shared with other runs, Node ${summary.machine.node}, ${minutes} min${laterRunsClause(summary, { kafkaVersion: false })}: ` +
      `${passed} of ${runs} scenario runs passed the pins as they stand. Each count cell is min–max over the runs without error; ` +
      '"exactly once" and "copiers" come from each run\'s copy-check.json (from `docs/measured/transactions-copier-repeat.json`).',
    '',
    `| scenario | passed | unknown | exactly once | copiers | ${COLUMNS.join(' | ')} | zombie |`,
    `|---|---|---|---|---|${COLUMNS.map(() => '---').join('|')}|---|`,
    ...summary.scenarios.map((s) => {
      const f = summary.copier[s.name];
      const once = f ? `${f.exactlyOnce}/${f.runs}` : '—';
      const copiers = f ? (f.copiers[0] === f.copiers[1] ? String(f.copiers[0]) : `${f.copiers[0]}–${f.copiers[1]}`) : '—';
      return `| ${s.name.replace('transactions/copier/', '')} | ${s.verdicts.pass}/${s.runs} | ${s.verdicts.unknown} | ${once} | ${copiers} | ${COLUMNS.map((c) => cell(s.ranges[c])).join(' | ')} | ${zombieCell(f)} |`;
    }),
  ].join('\n');
}

function main(args: string[]): number {
  const [command, ...rest] = args;
  const merge = rest.includes('--merge');
  const files = rest.filter((a) => a !== '--merge');
  if (command === 'save' && files.length > 0) {
    const measured = measuredSummary(judgedByCurrentPins('transactions', mergedRuns(files.map(readResultsFile))), { cores: os.cpus().length, node: process.versions.node });
    const added: CopierSummary = { ...measured, copier: copierFacts(files) };
    const base = merge ? (JSON.parse(fs.readFileSync(`${FILE}.json`, 'utf8')) as CopierSummary) : undefined;
    const order = SUITES.transactions().map((s) => s.name);
    const summary: CopierSummary = base ? { ...mergeSummaries(base, added, order), copier: { ...base.copier, ...added.copier } } : added;
    fs.writeFileSync(`${FILE}.json`, JSON.stringify(summary, null, 1) + '\n');
  } else if (command !== 'table') {
    console.error('usage: scripts/transactions-copier-measured.ts save [--merge] RESULTS_JSON… | table');
    return 2;
  }
  const summary = JSON.parse(fs.readFileSync(`${FILE}.json`, 'utf8')) as CopierSummary;
  fs.writeFileSync(`${FILE}.md`, copierTable(summary) + '\n');
  console.log(`wrote docs/measured/transactions-copier-repeat.{json,md} (${summary.scenarios.length} scenarios × ${summary.repeat})`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
