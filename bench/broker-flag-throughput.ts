import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCluster } from '../harness/cluster/local-cluster';
import { BROKER_JVM_OPTS_ENV } from '../harness/cluster/broker-jvm';
import { newRunId } from '../harness/run-folder';
import { kafkaPerfThroughput } from './ceiling';
import { setEnv } from './cluster-starts';
import { median } from './median';

/**
 * Does a broker JVM flag change the brokers' throughput? (The brokers already run C1 only,
 * BROKER_JIT_FLAGS; -XX:TieredStopAtLevel=4 puts C2 back, the A/B of that default.) Alternates
 * clusters with and without the flags in KCHAOS_BROKER_JVM_OPTS and runs Kafka's ProducerPerformance through the proxies on each: a warm-up run, then the
 * measured one (acks=all, 100-byte records, as bench/ceiling.ts).
 *
 *   npx tsx bench/broker-flag-throughput.ts --pairs 3 --flags '-XX:TieredStopAtLevel=4' --out FILE
 *
 * Writes { flags, pairs, records, msgPerSec: { without: [...], with: [...] }, ratioMedian, loadAverage1m, measuredAt }.
 */

const WARMUP_RECORDS = 200_000;
const MEASURED_RECORDS = 400_000;

async function throughputWith(flags: string | undefined, workDir: string): Promise<number> {
  const restore = setEnv({ [BROKER_JVM_OPTS_ENV]: flags });
  const cluster = await startLocalCluster({ workDir, log: () => {} }).finally(restore);
  try {
    await cluster.createTopic('flag-throughput');
    await kafkaPerfThroughput(cluster, 'flag-throughput', WARMUP_RECORDS);
    return await kafkaPerfThroughput(cluster, 'flag-throughput', MEASURED_RECORDS);
  } finally {
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const pairs = Number(arg('--pairs') ?? 3);
  const flags = arg('--flags');
  const out = arg('--out');
  if (!Number.isInteger(pairs) || pairs < 1 || !flags || !out) {
    process.stderr.write("usage: npx tsx bench/broker-flag-throughput.ts --pairs N --flags '-XX:…' --out FILE\n");
    process.exit(2);
  }
  const runDir = path.resolve('runs', `broker-flag-throughput-${newRunId()}`);
  const loadBefore = os.loadavg()[0];
  const without: number[] = [];
  const withFlags: number[] = [];
  const load: number[] = [];
  for (let i = 1; i <= pairs; i++) {
    without.push(Math.round(await throughputWith(undefined, path.join(runDir, `pair-${i}-without`))));
    withFlags.push(Math.round(await throughputWith(flags, path.join(runDir, `pair-${i}-with`))));
    load.push(Math.round(os.loadavg()[0] * 10) / 10);
    process.stderr.write(`pair ${i}/${pairs}: without ${without.at(-1)} msg/s, with ${withFlags.at(-1)} msg/s, load ${load.at(-1)}\n`);
  }
  const summary = {
    flags,
    pairs,
    records: { warmup: WARMUP_RECORDS, measured: MEASURED_RECORDS },
    msgPerSec: { without, with: withFlags },
    ratioMedian: Math.round((median(withFlags) / median(without)) * 100) / 100,
    loadAverage1m: { before: Math.round(loadBefore * 10) / 10, afterEachPair: load },
    machine: { cores: os.cpus().length, node: process.version },
    measuredAt: new Date().toISOString(),
  };
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`with/without (median msg/s) ${summary.ratioMedian}; written: ${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`broker-flag-throughput: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
