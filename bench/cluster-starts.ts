import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nearestRank } from '../harness/checker/percentiles';
import { startLocalCluster } from '../harness/cluster/local-cluster';
import { errorText } from '../harness/cluster/error-text';
import { readPidFiles } from '../harness/process/pid-file';
import { isOurProcess } from '../harness/process/process-liveness';
import { newRunId } from '../harness/run-folder';
import { StartPhases, startPhases } from './start-phases';

/**
 * Cluster start reliability: starts and stops N local clusters in a row, exactly as the harness does
 * (startLocalCluster: reaper, set-up check, Toxiproxy, three KRaft brokers, readiness), and records
 * each start's duration and any failure with its message. After each stop it checks that no child
 * the start spawned is still alive (the pid files the reaper reads).
 *
 *   npx tsx bench/cluster-starts.ts [--starts 30] [--out docs/measured/cluster-starts.json]
 *   npx tsx bench/cluster-starts.ts --starts 6 --ab KCHAOS_CLASS_ARCHIVE=0   (A/B: 6 starts each, alternating)
 *   npm run bench -- cluster-starts        (10 starts; also records clusterStarts* in bench.json)
 *
 * Writes a small JSON summary (default docs/measured/cluster-starts.json):
 * { starts, failures, failureMessages, startMs: { p50, p95, max, min }, phasesMsP50, machine: { cores, node }, measuredAt }.
 * With --ab, `ab` holds each variant's numbers and B/A ratios: B is the same start with the given
 * environment variables set (e.g. KCHAOS_CLASS_ARCHIVE=0, KCHAOS_BROKER_JVM_OPTS=…), A without;
 * the two alternate, so a shared machine's changing load falls on both alike.
 * Exit code 0 when every start and stop succeeded, 1 otherwise, 2 for a bad command line.
 */

/** Clusters started one after another. @default 30 */
export const DEFAULT_STARTS = 30;
/** Where the summary goes, relative to the working directory. @default docs/measured/cluster-starts.json */
export const DEFAULT_SUMMARY_FILE = path.join('docs', 'measured', 'cluster-starts.json');

export interface ClusterStartsSummary {
  starts: number;
  failures: number;
  /** One per failed start, stop, or child left alive after a stop: "start 7: <message>". */
  failureMessages: string[];
  /** Over the starts that succeeded; all 0 when none did. */
  startMs: { p50: number; p95: number; max: number; min: number };
  /** cluster.stop() of the started clusters, to "no child left": what each scenario's teardown waits. */
  stopMs: { p50: number; p95: number; max: number; min: number };
  machine: { cores: number; node: string };
  /** 1-minute load average when the first start began and after the last stop: the machine is shared. */
  loadAverage1m: { before: number; after: number };
  /** Median of each start phase over the starts whose broker logs had every mark (start-phases.ts). */
  phasesMsP50?: StartPhases;
  /** Only with --ab. */
  ab?: AbSummary;
  measuredAt: string;
}

export interface VariantSummary {
  /** "A" runs with the environment as it is; "B" with `env` set on top. */
  env: Record<string, string>;
  starts: number;
  failures: number;
  startMs: { p50: number; p95: number; max: number; min: number };
  phasesMsP50?: StartPhases;
  /** Each start's ms, in the order run. */
  eachMs: number[];
}

export interface AbSummary {
  A: VariantSummary;
  B: VariantSummary;
  /** B / A of the p50 and of the min. */
  ratioP50: number;
  ratioMin: number;
}

interface StartRecord {
  ms: number;
  phases?: StartPhases;
}

/** Children of this process that are still alive according to the reaper's pid files. */
function ourLiveChildren(): string[] {
  return readPidFiles()
    .filter(({ record }) => record.ownerPid === process.pid && isOurProcess(record.pid, record.marker))
    .map(({ record }) => `${record.name} (pid ${record.pid})`);
}

/** Starts and stops `starts` local clusters in a row; never throws for a failed start, it counts it. */
export async function measureClusterStarts(options: { starts?: number; runDir: string; log?: (line: string) => void; ab?: Record<string, string> }): Promise<ClusterStartsSummary> {
  const starts = options.starts ?? DEFAULT_STARTS;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const records: Record<'A' | 'B', StartRecord[]> = { A: [], B: [] };
  const failed: Record<'A' | 'B', number> = { A: 0, B: 0 };
  const failureMessages: string[] = [];
  const stopsMs: number[] = [];
  const loadBefore = os.loadavg()[0];
  const total = options.ab ? 2 * starts : starts;
  for (let i = 1; i <= total; i++) {
    const variant = options.ab && i % 2 === 0 ? 'B' : 'A';
    const label = `start ${String(i).padStart(String(total).length)}/${total}${options.ab ? ` ${variant}` : ''}`;
    const workDir = path.join(options.runDir, `start-${i}`);
    const restore = variant === 'B' ? setEnv(options.ab!) : () => {};
    const startedAtMs = Date.now();
    const startedMs = performance.now();
    let cluster;
    try {
      cluster = await startLocalCluster({ workDir, log: () => {} });
    } catch (error) {
      const ms = performance.now() - startedMs;
      failed[variant]++;
      failureMessages.push(`start ${i}: ${errorText(error)}`);
      log(`${label}: FAILED after ${Math.round(ms)} ms: ${errorText(error).split('\n')[0]}`);
      continue;
    } finally {
      restore();
    }
    const startMs = performance.now() - startedMs;
    const phases = startPhases(workDir, startedAtMs);
    records[variant].push({ ms: startMs, ...(phases ? { phases } : {}) });
    const stoppedAt = performance.now();
    try {
      await cluster.stop();
    } catch (error) {
      failureMessages.push(`start ${i}: stop failed: ${errorText(error)}`);
    }
    const stopMs = performance.now() - stoppedAt;
    stopsMs.push(stopMs);
    const left = ourLiveChildren();
    if (left.length > 0) failureMessages.push(`start ${i}: still alive after stop: ${left.join(', ')}`);
    const phaseText = phases ? ` (${Object.entries(phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')})` : '';
    log(`${label}: ready in ${Math.round(startMs)} ms${phaseText}, stopped in ${Math.round(stopMs)} ms, load ${os.loadavg()[0].toFixed(1)}${left.length > 0 ? `; LEFT ALIVE: ${left.join(', ')}` : ''}`);
  }
  const all = [...records.A, ...records.B];
  const summary: ClusterStartsSummary = {
    starts: total,
    failures: failureMessages.length,
    failureMessages,
    startMs: percentiles(all.map((r) => r.ms)),
    stopMs: percentiles(stopsMs),
    ...phasesP50(all),
    machine: { cores: os.cpus().length, node: process.version },
    loadAverage1m: { before: Math.round(loadBefore * 10) / 10, after: Math.round(os.loadavg()[0] * 10) / 10 },
    measuredAt: new Date().toISOString(),
  };
  if (options.ab) {
    const variant = (name: 'A' | 'B', env: Record<string, string>): VariantSummary => ({
      env, starts, failures: failed[name], startMs: percentiles(records[name].map((r) => r.ms)), ...phasesP50(records[name]), eachMs: records[name].map((r) => Math.round(r.ms)),
    });
    const A = variant('A', {});
    const B = variant('B', options.ab);
    const ratio = (b: number, a: number) => (a > 0 ? Math.round((b / a) * 100) / 100 : 0);
    summary.ab = { A, B, ratioP50: ratio(B.startMs.p50, A.startMs.p50), ratioMin: ratio(B.startMs.min, A.startMs.min) };
  }
  return summary;
}

function percentiles(durations: number[]): { p50: number; p95: number; max: number; min: number } {
  const sorted = [...durations].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms);
  return { p50: round(nearestRank(sorted, 50)), p95: round(nearestRank(sorted, 95)), max: round(sorted.at(-1) ?? 0), min: round(sorted[0] ?? 0) };
}

function phasesP50(records: StartRecord[]): { phasesMsP50?: StartPhases } {
  const withPhases = records.flatMap((r) => (r.phases ? [r.phases] : []));
  if (withPhases.length === 0) return {};
  const keys = Object.keys(withPhases[0]) as Array<keyof StartPhases>;
  return { phasesMsP50: Object.fromEntries(keys.map((k) => [k, Math.round(nearestRank(withPhases.map((p) => p[k]).sort((a, b) => a - b), 50))])) as unknown as StartPhases };
}

/** Sets environment variables for one start (undefined: unset); returns what puts the old values back. */
export function setEnv(env: Record<string, string | undefined>): () => void {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export function writeSummary(summary: ClusterStartsSummary, file = DEFAULT_SUMMARY_FILE): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(summary, null, 2)}\n`);
  return target;
}

const USAGE = `usage: npx tsx bench/cluster-starts.ts [--starts N] [--out FILE]

Starts and stops N local clusters in a row (the harness's own start: three KRaft brokers and
Toxiproxy), then writes a summary of failures and start times.

  --starts N   clusters to start, a positive integer (default ${DEFAULT_STARTS}); with --ab, per variant
  --ab NAME=VALUE[,NAME=VALUE…]
               A/B: alternate starts without (A) and with (B) these environment variables set,
               e.g. --ab KCHAOS_CLASS_ARCHIVE=0 or --ab 'KCHAOS_BROKER_JVM_OPTS=-XX:TieredStopAtLevel=4' (C2 back on)
  --out FILE   where the JSON summary goes (default ${DEFAULT_SUMMARY_FILE})
  --help       this text

Needs \`npm run kchaos -- setup\` done (Kafka jars and Toxiproxy in the cache).`;

/** "NAME=VALUE,NAME=VALUE" → { NAME: VALUE }; a value may hold spaces and '=', not ','. */
export function parseAbEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(pair.trim());
    if (!match) throw new Error(`--ab ${JSON.stringify(pair)} is not NAME=VALUE; give e.g. --ab KCHAOS_CLASS_ARCHIVE=0`);
    env[match[1]] = match[2];
  }
  return env;
}

function parseArgs(argv: string[]): { starts: number; out: string; ab?: Record<string, string> } | 'help' {
  let starts = DEFAULT_STARTS;
  let out = DEFAULT_SUMMARY_FILE;
  let ab: Record<string, string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--') continue;
    const value = argv[i + 1];
    if (arg === '--starts') {
      starts = Number(value);
      if (!Number.isInteger(starts) || starts < 1) throw new Error(`--starts ${JSON.stringify(value)} is not a positive integer; give e.g. --starts 30`);
      i++;
    } else if (arg === '--out') {
      if (!value) throw new Error('--out needs a file name, e.g. --out docs/measured/cluster-starts.json');
      out = value;
      i++;
    } else if (arg === '--ab') {
      if (!value) throw new Error('--ab needs NAME=VALUE, e.g. --ab KCHAOS_CLASS_ARCHIVE=0');
      ab = parseAbEnv(value);
      i++;
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}; see --help`);
    }
  }
  return { starts, out, ...(ab ? { ab } : {}) };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`cluster-starts: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Not createRunFolder: runs/latest keeps pointing at the last scenario run.
  const runDir = path.resolve('runs', `cluster-starts-${newRunId()}`);
  fs.mkdirSync(runDir, { recursive: true });
  const log = (line: string) => process.stderr.write(`cluster-starts: ${line}\n`);
  log(`${args.starts} starts${args.ab ? ' per variant (A/B)' : ''}, clusters under ${runDir}`);
  const summary = await measureClusterStarts({ starts: args.starts, runDir, log, ...(args.ab ? { ab: args.ab } : {}) });
  const file = writeSummary(summary, args.out);
  const { p50, p95, max, min } = summary.startMs;
  process.stdout.write(`starts ${summary.starts}, failures ${summary.failures}; start ms p50 ${p50}, p95 ${p95}, max ${max}, min ${min}\n`);
  if (summary.ab) {
    const { A, B, ratioP50, ratioMin } = summary.ab;
    process.stdout.write(`A: p50 ${A.startMs.p50}, min ${A.startMs.min}; B (${JSON.stringify(B.env)}): p50 ${B.startMs.p50}, min ${B.startMs.min}; B/A p50 ${ratioP50}, min ${ratioMin}\n`);
  }
  process.stdout.write(`load average (1 min) ${summary.loadAverage1m.before} -> ${summary.loadAverage1m.after}\nwritten: ${file}\n`);
  for (const message of summary.failureMessages) process.stdout.write(`  ${message}\n`);
  process.exitCode = summary.failures === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`cluster-starts: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
