import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nearestRank } from '../harness/checker/percentiles';
import { startLocalCluster } from '../harness/cluster/local-cluster';
import { errorText } from '../harness/cluster/error-text';
import { readPidFiles } from '../harness/process/pid-file';
import { isOurProcess } from '../harness/process/process-liveness';
import { newRunId } from '../harness/run-folder';

/**
 * Cluster start reliability: starts and stops N local clusters in a row, exactly as the harness does
 * (startLocalCluster: reaper, set-up check, Toxiproxy, three KRaft brokers, readiness), and records
 * each start's duration and any failure with its message. After each stop it checks that no child
 * the start spawned is still alive (the pid files the reaper reads).
 *
 *   npx tsx bench/cluster-starts.ts [--starts 30] [--out docs/measured/cluster-starts.json]
 *   npm run bench -- cluster-starts        (30 starts; also records clusterStarts* in bench.json)
 *
 * Writes a small JSON summary (default docs/measured/cluster-starts.json):
 * { starts, failures, failureMessages, startMs: { p50, p95, max, min }, machine: { cores, node }, measuredAt }.
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
  machine: { cores: number; node: string };
  /** 1-minute load average when the first start began and after the last stop: the machine is shared. */
  loadAverage1m: { before: number; after: number };
  measuredAt: string;
}

/** Children of this process that are still alive according to the reaper's pid files. */
function ourLiveChildren(): string[] {
  return readPidFiles()
    .filter(({ record }) => record.ownerPid === process.pid && isOurProcess(record.pid, record.marker))
    .map(({ record }) => `${record.name} (pid ${record.pid})`);
}

/** Starts and stops `starts` local clusters in a row; never throws for a failed start, it counts it. */
export async function measureClusterStarts(options: { starts?: number; runDir: string; log?: (line: string) => void }): Promise<ClusterStartsSummary> {
  const starts = options.starts ?? DEFAULT_STARTS;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const durations: number[] = [];
  const failureMessages: string[] = [];
  const loadBefore = os.loadavg()[0];
  for (let i = 1; i <= starts; i++) {
    const label = `start ${String(i).padStart(String(starts).length)}/${starts}`;
    const startedMs = performance.now();
    let cluster;
    try {
      cluster = await startLocalCluster({ workDir: path.join(options.runDir, `start-${i}`), log: () => {} });
    } catch (error) {
      const ms = performance.now() - startedMs;
      failureMessages.push(`start ${i}: ${errorText(error)}`);
      log(`${label}: FAILED after ${Math.round(ms)} ms: ${errorText(error).split('\n')[0]}`);
      continue;
    }
    const startMs = performance.now() - startedMs;
    durations.push(startMs);
    const stoppedAt = performance.now();
    try {
      await cluster.stop();
    } catch (error) {
      failureMessages.push(`start ${i}: stop failed: ${errorText(error)}`);
    }
    const left = ourLiveChildren();
    if (left.length > 0) failureMessages.push(`start ${i}: still alive after stop: ${left.join(', ')}`);
    log(`${label}: ready in ${Math.round(startMs)} ms, stopped in ${Math.round(performance.now() - stoppedAt)} ms${left.length > 0 ? `; LEFT ALIVE: ${left.join(', ')}` : ''}`);
  }
  const sorted = [...durations].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms);
  return {
    starts,
    failures: failureMessages.length,
    failureMessages,
    startMs: {
      p50: round(nearestRank(sorted, 50)),
      p95: round(nearestRank(sorted, 95)),
      max: round(sorted.at(-1) ?? 0),
      min: round(sorted[0] ?? 0),
    },
    machine: { cores: os.cpus().length, node: process.version },
    loadAverage1m: { before: Math.round(loadBefore * 10) / 10, after: Math.round(os.loadavg()[0] * 10) / 10 },
    measuredAt: new Date().toISOString(),
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

  --starts N   clusters to start, a positive integer (default ${DEFAULT_STARTS})
  --out FILE   where the JSON summary goes (default ${DEFAULT_SUMMARY_FILE})
  --help       this text

Needs \`npm run kchaos -- setup\` done (Kafka jars and Toxiproxy in the cache).`;

function parseArgs(argv: string[]): { starts: number; out: string } | 'help' {
  let starts = DEFAULT_STARTS;
  let out = DEFAULT_SUMMARY_FILE;
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
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}; see --help`);
    }
  }
  return { starts, out };
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
  log(`${args.starts} starts, clusters under ${runDir}`);
  const summary = await measureClusterStarts({ starts: args.starts, runDir, log });
  const file = writeSummary(summary, args.out);
  const { p50, p95, max, min } = summary.startMs;
  process.stdout.write(`starts ${summary.starts}, failures ${summary.failures}; start ms p50 ${p50}, p95 ${p95}, max ${max}, min ${min}\nwritten: ${file}\n`);
  for (const message of summary.failureMessages) process.stdout.write(`  ${message}\n`);
  process.exitCode = summary.failures === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`cluster-starts: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
