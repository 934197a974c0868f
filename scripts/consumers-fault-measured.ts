/**
 * The consumer rows of issue 16's last round (a partition leader's kill, the consumer frozen below /
 * beyond its session timeout, fetch from follower with and without broker racks), from their runs:
 *   npx tsx scripts/consumers-fault-measured.ts LABEL=RESULTS_JSON… [--load LOAD_LOG] [--out NAME] [--head MD_FILE]
 * writes docs/measured/<NAME>.{json,md} (default consumers-faults): per label and scenario, each
 * run's consumer counts re-checked offline from its archived files (kchaos check's path) and what
 * the suite's table cannot show:
 * - claimsNow: whether the consumers suite's claims for the row, as they stand now, hold on the
 *   re-checked counts (rows outside the suite: '-'); pass = the run's own verdict then;
 * - rawStallMs: the longest wait per partition WITH the broker process-fault window counted (the
 *   checker leaves kill → restarted out of stallMsByPartition, and a restart under load outlasts
 *   the stream, so its stall says nothing about the kill);
 * - p0WaitAfterKillMs: from the kill to partition 0's next first processing (null: p0 was done);
 *   restartMs: the kill's heal (the broker's start until it registered again);
 * - afterThawMs: from the SIGCONT to the next record processed; assignsAfterThaw: assignments then;
 * - idleMs: the longest time the consumer processed nothing at all (any partition), first → last record;
 *   idleAfterFaultMs: when that gap began, from the kill (or the freeze); negative: before it;
 * - processedBeforeFreeze: process oks before the SIGSTOP (the freeze landed mid-stream when below the records).
 * --load: a file of "HH:MM:SS <1-min> <5-min> …" lines (/proc/loadavg sampled during the runs);
 * each label's range of 1-min loads over its results' start → finish is printed beside it.
 * --head: markdown put above the generated part (the commands, what the rows are).
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkConsumers, evaluateConsumerExpectations } from '../harness/checker/consumer-checker';
import { SUITES } from '../scenarios/suites';
import { isProcessFault, type FaultKind } from '../harness/faults/fault-spec';
import { readHistory, readObserved } from '../harness/history/jsonl-files';
import { NEMESIS_PROCESS, type HistoryOp, type ObservedRecord } from '../harness/history/history-types';
import { baseScenarioName } from '../harness/repeat-summary';
import { readResultsFile } from '../reports/results-file';
import { span } from './value-span';

const ROOT = path.join(__dirname, '..');

interface RunFacts {
  verdict: string;
  error: string | null;
  counts: Record<string, number>;
  stallMs: Record<string, number>;
  rawStallMs: Record<string, number>;
  p0WaitAfterKillMs: number | null;
  restartMs: number | null;
  afterThawMs: number | null;
  assignsAfterThaw: number | null;
  idleMs: number;
  idleAfterFaultMs: number | null;
  processedBeforeFreeze: number | null;
}

async function readAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const firstProcessAfter = (ops: HistoryOp[], fromMs: number, partition?: number) =>
  ops.find((o) => o.f === 'process' && o.type === 'ok' && o.timeMs > fromMs && (partition === undefined || (o.value as { partition: number }).partition === partition))?.timeMs;

/** What one run showed, from its archived history and observed files. */
function facts(ops: HistoryOp[], observed: ObservedRecord[], verdict: string, error: string | null): RunFacts {
  const checked = checkConsumers(ops, observed);
  const isProcessFaultOp = (o: HistoryOp) => o.process === NEMESIS_PROCESS && isProcessFault(String((o.value as { fault?: unknown }).fault) as FaultKind);
  const raw = checkConsumers(ops.filter((o) => !isProcessFaultOp(o)), observed);
  const kill = ops.find((o) => isProcessFaultOp(o) && o.f === 'inject');
  const heal = ops.find((o) => isProcessFaultOp(o) && o.f === 'heal');
  const thaw = ops.find((o) => o.f === 'thaw');
  const p0After = kill ? firstProcessAfter(ops, kill.timeMs, 0) : undefined;
  const afterThaw = thaw ? firstProcessAfter(ops, thaw.timeMs) : undefined;
  const processedAt = ops.filter((o) => o.f === 'process' && o.type === 'ok').map((o) => o.timeMs);
  const idle = processedAt.slice(1).reduce((m, t, i) => (t - processedAt[i] > m.ms ? { ms: t - processedAt[i], from: processedAt[i] } : m), { ms: 0, from: 0 });
  const freeze = ops.find((o) => o.f === 'freeze');
  const fault = kill ?? freeze;
  return {
    verdict, error,
    counts: { ...checked.counts },
    stallMs: checked.stallMsByPartition,
    rawStallMs: raw.stallMsByPartition,
    p0WaitAfterKillMs: kill && p0After !== undefined ? p0After - kill.timeMs : null,
    restartMs: heal ? Number((heal.value as { tookMs?: number }).tookMs ?? NaN) : null,
    afterThawMs: thaw && afterThaw !== undefined ? afterThaw - thaw.timeMs : null,
    assignsAfterThaw: thaw ? ops.filter((o) => o.f === 'assign' && o.timeMs > thaw.timeMs).length : null,
    idleMs: idle.ms,
    idleAfterFaultMs: fault && idle.ms > 0 ? idle.from - fault.timeMs : null,
    processedBeforeFreeze: freeze ? processedAt.filter((t) => t <= freeze.timeMs).length : null,
  };
}

/** 1-min loads sampled between two ISO times (the log holds times of day, UTC, of one night). */
function loadRange(logFile: string | undefined, startedAt: string, finishedAt: string): string {
  if (!logFile) return 'not sampled';
  const day = (iso: string) => new Date(iso).getTime() % 86_400_000;
  const from = day(startedAt);
  const to = day(finishedAt);
  const inWindow = (t: number) => (from <= to ? t >= from && t <= to : t >= from || t <= to);
  const loads = fs.readFileSync(logFile, 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p.length >= 2 && /^\d\d:\d\d:\d\d$/.test(p[0]))
    .filter(([hms]) => { const [h, m, s] = hms.split(':').map(Number); return inWindow(((h * 60 + m) * 60 + s) * 1000); })
    .map((p) => Number(p[1]));
  return loads.length ? `${Math.min(...loads)}–${Math.max(...loads)} (${loads.length} samples)` : 'no sample in the window';
}

async function main(args: string[]): Promise<number> {
  const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const loadLog = option('--load');
  const outName = option('--out') ?? 'consumers-faults';
  const head = option('--head');
  const inputs = args.filter((a, i) => a.includes('=') && !['--load', '--out', '--head'].includes(args[i - 1]));
  if (inputs.length === 0) {
    console.error('usage: scripts/consumers-fault-measured.ts LABEL=RESULTS_JSON… [--load LOAD_LOG] [--out NAME]');
    return 2;
  }
  const measurements = [];
  const rows: Array<{ label: string; name: string; runs: RunFacts[] }> = [];
  for (const input of inputs) {
    const [label, file] = [input.slice(0, input.indexOf('=')), input.slice(input.indexOf('=') + 1)];
    const results = readResultsFile(file);
    measurements.push({ label, startedAt: results.run.startedAt, finishedAt: results.run.finishedAt, kafkaVersion: results.run.kafkaVersion, load1m: loadRange(loadLog, results.run.startedAt, results.run.finishedAt) });
    for (const scenario of results.scenarios) {
      const dir = path.dirname(file);
      const ops = await readAll(readHistory(path.join(dir, scenario.artifacts.history)));
      const observed = await readAll(readObserved(path.join(dir, scenario.artifacts.observed)));
      const name = baseScenarioName(scenario.name);
      let row = rows.find((r) => r.label === label && r.name === name);
      if (!row) rows.push((row = { label, name, runs: [] }));
      row.runs.push(facts(ops, observed, scenario.verdict, scenario.error ?? null));
    }
  }
  const suite = new Map(SUITES.consumers().map((x) => [x.name, x]));
  const claimsNow = (name: string, runs: RunFacts[]) => {
    const claims = suite.get(name)?.consumer?.expect;
    return claims ? `${runs.filter((r) => evaluateConsumerExpectations(claims, r.counts as never).every((e) => e.pass)).length}/${runs.length}` : '-';
  };
  const out = path.join(ROOT, 'docs', 'measured', outName);
  fs.writeFileSync(`${out}.json`, JSON.stringify({ measurements, rows }, null, 1) + '\n');
  const c = (runs: RunFacts[], n: string) => span(runs.map((r) => r.counts[n] ?? 0));
  const p = (runs: RunFacts[], key: 'stallMs' | 'rawStallMs', part: string) => span(runs.map((r) => r[key][part] ?? null));
  const lines = [
    ...measurements.map((m) => `- **${m.label}**: ${m.startedAt.slice(0, 16)}–${m.finishedAt.slice(11, 16)} UTC, Kafka ${m.kafkaVersion}, 1-min load average ${m.load1m}`),
    '',
    'Each cell is min–max over the runs, counts re-checked offline from the archived files. stall = the checker\'s (broker process-fault windows left out); raw = the same with them counted.',
    '',
    '| measurement | scenario | runs | pass | claims now | lost | twice | unconsumed | rebal | revoc | commitsFailed | held | stall p0 | stall p1 | stall p2 | raw p0 | raw p1 | raw p2 | idle | idle began after fault | p0 wait after kill | restart | processed before freeze | after thaw | assigns after thaw |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(({ label, name, runs }) => `| ${label} | ${name} | ${runs.length} | ${runs.filter((r) => r.verdict === 'pass').length} | ${claimsNow(name, runs)} | ${['processedLost', 'processedTwice', 'unconsumed', 'rebalances', 'revocations', 'commitsFailed', 'heldByLinkFault'].map((n) => c(runs, n)).join(' | ')} | ${['0', '1', '2'].map((q) => p(runs, 'stallMs', q)).join(' | ')} | ${['0', '1', '2'].map((q) => p(runs, 'rawStallMs', q)).join(' | ')} | ${span(runs.map((r) => r.idleMs))} | ${span(runs.map((r) => r.idleAfterFaultMs))} | ${span(runs.map((r) => r.p0WaitAfterKillMs))} | ${span(runs.map((r) => r.restartMs))} | ${span(runs.map((r) => r.processedBeforeFreeze))} | ${span(runs.map((r) => r.afterThawMs))} | ${span(runs.map((r) => r.assignsAfterThaw))} |`),
    '',
    ...rows.flatMap(({ label, name, runs }) => runs.filter((r) => r.error).map((r) => `- ${label} ${name}: ${r.verdict}, error: ${r.error!.split('\n')[0].slice(0, 300)}`)),
  ];
  fs.writeFileSync(`${out}.md`, (head ? fs.readFileSync(head, 'utf8').trimEnd() + '\n\n' : '') + lines.join('\n') + '\n');
  console.log(`wrote docs/measured/${outName}.{json,md} (${rows.length} rows)`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});
