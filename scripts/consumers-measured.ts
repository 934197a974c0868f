/**
 * The consumers suite's measured numbers, from committed files only:
 *   npx tsx scripts/consumers-measured.ts RESULTS_JSON… [--recheck] [--kafka VERSION]
 * compacts `kchaos run consumers --repeat N` runs (one, or several that split the suite between
 * them) into docs/measured/consumers-repeat.json and a table, docs/measured/consumers-repeat.md:
 * per scenario, its runs' consumer counts and per-partition stalls as min / median / max, and how
 * many runs the suite's claims as they stand now hold in. With --recheck, every run's consumer
 * counts come from the checker as it stands, re-run offline on its archived history and observed
 * files (kchaos check's path), not from results.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkConsumerFiles } from '../harness/checker/consumer-check-files';
import { evaluateConsumerExpectations } from '../harness/checker/consumer-checker';
import { CONSUMER_COUNT_NAMES, type ConsumerCountName } from '../harness/checker/consumer-check-types';
import { baseScenarioName } from '../harness/repeat-summary';
import { readResultsFile } from '../reports/results-file';
import type { ScenarioResult } from '../reports/results-types';
import { SUITES } from '../scenarios/suites';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'measured', 'consumers-repeat');

interface Range { min: number; median: number; max: number }

function range(values: number[]): Range {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.ceil(sorted.length / 2) - 1], max: sorted[sorted.length - 1] };
}

const cell = (r: Range) => (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`);

async function main(args: string[]): Promise<number> {
  const recheck = args.includes('--recheck');
  // --kafka V: the version, when the runs drove a cluster through --backend external (results say "unknown").
  const kafkaAt = args.indexOf('--kafka');
  const kafkaGiven = kafkaAt >= 0 ? args[kafkaAt + 1] : undefined;
  const files = args.filter((a, i) => a !== '--recheck' && i !== kafkaAt && i !== kafkaAt + 1);
  if (files.length === 0) {
    console.error('usage: scripts/consumers-measured.ts RESULTS_JSON… [--recheck]');
    return 2;
  }
  const suite = new Map(SUITES.consumers().map((s) => [s.name, s]));
  const runs: Array<{ file: string; scenario: ScenarioResult }> = [];
  let started = '';
  let finished = '';
  let kafkaVersion = '';
  let repeat = 0;
  for (const file of files) {
    const results = readResultsFile(file);
    started = !started || results.run.startedAt < started ? results.run.startedAt : started;
    finished = results.run.finishedAt > finished ? results.run.finishedAt : finished;
    kafkaVersion = kafkaGiven ?? results.run.kafkaVersion;
    repeat = Math.max(repeat, results.run.repeat ?? 1);
    for (const scenario of results.scenarios) runs.push({ file, scenario });
  }
  const byName = new Map<string, Array<{ file: string; scenario: ScenarioResult }>>();
  for (const run of runs) {
    const name = baseScenarioName(run.scenario.name);
    if (!suite.has(name)) throw new Error(`scenario ${run.scenario.name} is not in the consumers suite`);
    byName.set(name, [...(byName.get(name) ?? []), run]);
  }
  const scenarios = [];
  for (const [name, list] of [...byName].sort((a, b) => [...suite.keys()].indexOf(a[0]) - [...suite.keys()].indexOf(b[0]))) {
    const claims = suite.get(name)!.consumer!.expect;
    let holds = 0;
    let unknown = 0;
    for (const { file, scenario } of list) {
      if (recheck && !(scenario.error && !scenario.error.startsWith('consumer checker:'))) {
        // The checker as it stands, on the archived files: replaces what the run's checker said.
        const dir = path.dirname(file);
        const offline = await checkConsumerFiles(path.join(dir, scenario.artifacts.history), path.join(dir, scenario.artifacts.observed));
        if (!offline) throw new Error(`re-checking ${scenario.name}: no consumer op in its history`);
        scenario.consumer = { ...(scenario.consumer ?? ({} as NonNullable<ScenarioResult['consumer']>)), counts: offline.counts, stallMsByPartition: offline.stallMsByPartition };
        scenario.error = undefined;
      }
      if (!scenario.consumer || scenario.error) {
        unknown++;
        continue;
      }
      if (evaluateConsumerExpectations(claims, scenario.consumer.counts).every((e) => e.pass) && scenario.expectations.every((e) => e.pass)) holds++;
    }
    const measured = list.filter((r) => r.scenario.consumer && !r.scenario.error).map((r) => r.scenario.consumer!);
    const counts = Object.fromEntries(CONSUMER_COUNT_NAMES.map((n) => [n, range(measured.map((m) => m.counts[n]))])) as Record<ConsumerCountName, Range>;
    const partitions = [...new Set(measured.flatMap((m) => Object.keys(m.stallMsByPartition)))].sort();
    const stallMs = Object.fromEntries(partitions.map((p) => [p, range(measured.map((m) => m.stallMsByPartition[p] ?? 0))]));
    scenarios.push({ name, runs: list.length, claimsHold: holds, unknown, claims, counts, stallMs });
  }
  const summary = { suite: 'consumers', repeat, startedAt: started, finishedAt: finished, kafkaVersion, cores: os.cpus().length, node: process.versions.node, rechecked: recheck, scenarios };
  fs.writeFileSync(`${OUT}.json`, JSON.stringify(summary, null, 1) + '\n');
  const shown: ConsumerCountName[] = ['processed', 'unconsumed', 'processedLost', 'processedTwice', 'pollSkip', 'nonmonotonicPoll', 'committedBeyondProcessed', 'rebalances', 'commitsFailed'];
  const lines = [
    `\`kchaos run consumers --repeat ${repeat}\` (${started.slice(0, 16)}–${finished.slice(11, 16)} UTC), Kafka ${kafkaVersion}, ${os.cpus().length} cores shared with other runs, Node ${process.versions.node}. Each cell is min–max over the runs${recheck ? '; every run re-checked offline from its archived files' : ''} (from \`docs/measured/consumers-repeat.json\`).`,
    '',
    `| scenario | claims hold | ${shown.join(' | ')} | stall ms p0 | stall ms p1 | stall ms p2 |`,
    `|---|---|${shown.map(() => '---').join('|')}|---|---|---|`,
    ...scenarios.map((s) => `| ${s.name} | ${s.claimsHold}/${s.runs} | ${shown.map((n) => cell(s.counts[n])).join(' | ')} | ${['0', '1', '2'].map((p) => (s.stallMs[p] ? cell(s.stallMs[p]) : '-')).join(' | ')} |`),
  ];
  fs.writeFileSync(`${OUT}.md`, lines.join('\n') + '\n');
  console.log(`wrote docs/measured/consumers-repeat.{json,md} (${scenarios.length} scenarios)`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
