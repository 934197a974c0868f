import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Kafka, logLevel } from 'kafkajs';
import { Producer } from 'node-rdkafka';
import { CLIENTS } from '../harness/clients/clients';
import { POLL_INTERVAL_MS, rdkafkaConfig } from '../harness/clients/rdkafka-producer';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { HistoryRecorder } from '../harness/history/history-recorder';
import { createStrategy } from '../harness/strategies/strategies';
import { encodeValue, PRODUCER_PROCESS, runWorkload } from '../harness/workload/workload';
import { defineScenario } from '../scenarios/define-scenario';
import type { Scenario } from '../scenarios/scenario';
import { kafkaPerfThroughput } from './ceiling';
import { median } from './median';

/**
 * `npm run bench -- full-speed`: the clients at full speed (a scenario's `ratePerSec: null`,
 * harness/workload/full-speed.ts) against Kafka's ProducerPerformance and against the bare client
 * with the very same configuration, all in one run on one cluster; the history recorder's ops/s;
 * the checker on 10M messages in a child process (its own peak RSS).
 * Targets (issue 19): fullSpeedCeilingRatio.node-rdkafka >= 0.6, fullSpeedCeilingRatio.kafkajs >= 0.2,
 * fullSpeedOverheadRatio.* >= 0.9 (also as fullSpeedOverheadRatioMedian.*, the median of the rounds' paired ratios;
 * fullSpeedCpuRatioMedian.* is the same pairing for this process's CPU per message), historyRecorderOpsPerSec >= 200k, checker10MMs <= 5000, checker10MRssMb <= 1024.
 * Not a target: fullSpeedWithoutLinesRatioMedian.node-rdkafka, the harness with its send lines counted
 * instead of written ÷ bare, which says how much of node-rdkafka's gap is writing the history.
 */

type Client = 'node-rdkafka' | 'kafkajs';
/** Messages per measurement: enough for several seconds of each side at full speed. */
const MESSAGES: Record<Client, number> = { 'node-rdkafka': 100_000, kafkajs: 20_000 };
const PERF_RECORDS = 100_000;
/** A side that takes longer than this stops the bench naming it, rather than hanging it. @default 300000 */
const SIDE_TIMEOUT_MS = 300_000;
/**
 * Rounds after the warm-up; each side's best counts, and each round's harness ÷ bare pair (run one
 * after the other) gives a ratio whose (lower) median is recorded too: on a shared 2-core machine a single
 * side varied by ±30 % from one round to the next, and a best-of pair can be two lucky or unlucky moments. @default 4
 */
const ROUNDS = 4;
const RECORDER_OPS = 1_000_000;
const CHECKER_MESSAGES = 10_000_000;

/**
 * A full garbage collection, run before each side: what one side left (the harness side reads its
 * whole history back, as the checker does) is not collected inside the next side's measurement.
 */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

/** The scenario a team would write for full speed: what the harness side runs and the bare side copies. */
export function fullSpeedScenario(client: Client, messages: number): Scenario {
  return defineScenario({
    name: `bench/full-speed/${client}`, client,
    // No fault: generous timeouts so that a slow moment of the shared machine is not a failure.
    config: { requestTimeoutMs: 10_000, deliveryTimeoutMs: 30_000 },
    workload: { messages, ratePerSec: null, drainDeadlineMs: 600_000 },
  });
}

/** One side's measurement: messages per second, and this process's CPU per message (null: not this process's). */
interface Measured {
  perSec: number;
  cpuUsPerMessage: number | null;
}

/**
 * Runs `sending` (all `count` messages, to the last outcome): its rate, and this process's CPU
 * per message over every thread (librdkafka's too). CPU is what the harness adds to the client's
 * process whatever the brokers do; the rate also moves with how the shared cores serve the brokers.
 */
async function measured(count: number, sending: () => Promise<unknown>): Promise<Measured> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await sending();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSec: count / seconds, cpuUsPerMessage: (cpu.user + cpu.system) / count };
}

/** Starts `count` sends, at most `window` outstanding; resolves once all are done. */
function windowed(count: number, window: number, start: (first: number, done: (sent: number) => void) => number): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let outstanding = 0;
    let finished = 0;
    const done = (sent: number) => {
      outstanding--;
      finished += sent;
      if (finished >= count) resolve();
      else pump();
    };
    const pump = () => {
      while (outstanding < window && next < count) {
        outstanding++;
        next += start(next, done);
      }
    };
    pump();
  });
}

/** The client's own API with the full-speed scenario's configuration: no history, strategy or adapter. */
export async function bareFullSpeed(client: Client, cluster: StartedCluster, topic: string, count: number): Promise<Measured> {
  const { config, workload } = fullSpeedScenario(client, count);
  if (client === 'kafkajs') {
    const producer = new Kafka({ clientId: 'bench-bare', brokers: cluster.proxiedBootstrap.split(','), logLevel: logLevel.NOTHING, requestTimeout: config.requestTimeoutMs })
      .producer({ allowAutoTopicCreation: false, maxInFlightRequests: config.maxInFlight });
    await producer.connect();
    try {
      return await measured(count, () =>
        windowed(count, workload.concurrency, (first, done) => {
          const n = Math.min(config.messagesPerSend, count - first);
          const messages = Array.from({ length: n }, (_, i) => ({ value: encodeValue(first + i, 1, workload.payloadBytes) }));
          producer.send({ topic, acks: -1, messages }).then(() => done(n), () => done(n));
          return n;
        }),
      );
    } finally {
      await producer.disconnect();
    }
  }
  const [globalConfig, topicConfig] = rdkafkaConfig(cluster.proxiedBootstrap, config);
  const producer = new Producer({ ...globalConfig, dr_cb: true }, topicConfig);
  const waiting = new Map<number, (sent: number) => void>();
  producer.on('delivery-report', (_error, report) => {
    const done = waiting.get(report.opaque as number);
    waiting.delete(report.opaque as number);
    done?.(1);
  });
  await new Promise<void>((resolve, reject) => producer.connect({}, (error) => (error ? reject(error) : resolve())));
  producer.setPollInterval(POLL_INTERVAL_MS);
  try {
    return await measured(count, () =>
      windowed(count, workload.concurrency, (seq, done) => {
        waiting.set(seq, done);
        producer.produce(topic, null, encodeValue(seq, 1, workload.payloadBytes), null, Date.now(), seq);
        return 1;
      }),
    );
  } finally {
    await new Promise((resolve) => producer.disconnect(resolve));
  }
}

/**
 * The recorder without its send lines, for one bench side only: the workload, strategy and adapter
 * run as in a scenario, and each send's invoke and ok are counted instead of written. Beside the
 * harness side it shows what writing the two history lines per message costs at full speed.
 */
class CountingRecorder extends HistoryRecorder {
  private sends = 0;
  acked = 0;
  override recordSendInvoke(): number {
    this.lastTimeMs = this.now();
    return this.sends++;
  }
  override recordSendOk(): number {
    this.lastTimeMs = this.now();
    this.acked++;
    return this.sends++;
  }
}

/**
 * The same full-speed scenario's sends through the harness: adapter, strategy, workload, history
 * recorder (`lines: false`: the CountingRecorder instead).
 */
export async function harnessFullSpeed(client: Client, cluster: StartedCluster, topic: string, count: number, lines = true): Promise<Measured> {
  const scenario = fullSpeedScenario(client, count);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-bench-'));
  const file = path.join(dir, 'history.jsonl');
  const recorder = lines ? new HistoryRecorder(file) : new CountingRecorder(file);
  const producer = CLIENTS[client](cluster.proxiedBootstrap, topic, scenario.config);
  await producer.connect();
  try {
    const topicView = { partitions: 3, leaderOf: () => undefined };
    const strategy = createStrategy(scenario.strategy, scenario.mode, topicView, scenario.workaround, () => recorder.now());
    const result = await measured(count, () => runWorkload(producer, strategy, recorder, scenario.workload, scenario.workaround, { messagesPerSend: scenario.config.messagesPerSend, leaderOf: () => undefined }));
    // Outcomes are the client's, per message: a run where any send did not end ok measures nothing.
    const acked = recorder instanceof CountingRecorder ? recorder.acked : recorder.ops.filter((op) => op.type === 'ok').length;
    if (acked !== count) throw new Error(`full-speed ${client}: ${acked} of ${count} sends acked`);
    return result;
  } finally {
    recorder.close();
    await producer.close(5_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The recorder's ops per second on the workload's path (recordSendInvoke / recordSendOk pairs):
 * `total` with the file written and read back at close (the checker's input), `writes` the
 * recording alone (what the workload's hot path pays per op).
 */
export function recorderOpsPerSec(ops = RECORDER_OPS): { total: number; writes: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-recorder-'));
  try {
    const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
    const started = performance.now();
    for (let seq = 0; seq < ops / 2; seq++) {
      recorder.recordSendInvoke(PRODUCER_PROCESS, seq, null, null, 1);
      recorder.recordSendOk(PRODUCER_PROCESS, seq, 1, seq % 3, seq, false);
    }
    const recordedMs = performance.now() - started;
    recorder.close();
    return { total: ops / ((performance.now() - started) / 1000), writes: ops / (recordedMs / 1000) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every full-speed number of one bench run. `freshTopic` gives each measurement a topic of its own.
 * Order: a warm-up of every side, then ROUNDS rounds in alternating order; the best of each side
 * counts for the best-of ratios, and every round for the medians of paired ratios and of CPU.
 */
export async function benchFullSpeed(cluster: StartedCluster, freshTopic: () => Promise<string>, record: (key: string, value: number) => void, log: (line: string) => void = (line) => process.stderr.write(`bench: ${line}\n`)): Promise<void> {
  const sides: Record<string, () => Promise<Measured>> = {
    // ProducerPerformance is a JVM of its own: its CPU is not this process's.
    perf: async () => ({ perSec: await kafkaPerfThroughput(cluster, await freshTopic(), PERF_RECORDS), cpuUsPerMessage: null }),
    'harness.node-rdkafka': async () => harnessFullSpeed('node-rdkafka', cluster, await freshTopic(), MESSAGES['node-rdkafka']),
    'bare.node-rdkafka': async () => bareFullSpeed('node-rdkafka', cluster, await freshTopic(), MESSAGES['node-rdkafka']),
    'harness-without-lines.node-rdkafka': async () => harnessFullSpeed('node-rdkafka', cluster, await freshTopic(), MESSAGES['node-rdkafka'], false),
    'harness.kafkajs': async () => harnessFullSpeed('kafkajs', cluster, await freshTopic(), MESSAGES.kafkajs),
    'bare.kafkajs': async () => bareFullSpeed('kafkajs', cluster, await freshTopic(), MESSAGES.kafkajs),
  };
  const names = Object.keys(sides);
  const best: Record<string, number> = {};
  const perRound: Record<string, Measured[]> = Object.fromEntries(names.map((name) => [name, []]));
  const measure = async (name: string, round: string) => {
    collectGarbage();
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`full-speed ${round} ${name}: no result within ${SIDE_TIMEOUT_MS} ms`)), SIDE_TIMEOUT_MS)));
    const result = await Promise.race([sides[name](), overrun]).finally(() => clearTimeout(timer));
    const cpu = result.cpuUsPerMessage === null ? '' : `, ${result.cpuUsPerMessage.toFixed(1)} µs CPU/msg`;
    log(`full-speed ${round} ${name}: ${Math.round(result.perSec)} msg/s${cpu}`);
    return result;
  };
  for (const name of names) await measure(name, 'warm-up'); // JIT, the fresh cluster's first segments
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const result = await measure(name, `round ${round + 1}`);
      perRound[name].push(result);
      best[name] = Math.max(best[name] ?? 0, result.perSec);
    }
  }
  record('fullSpeed.kafkaPerfMsgsPerSec', best.perf);
  record('fullSpeed.loadAverage1m', os.loadavg()[0]); // the machine is shared: how busy it was, beside the numbers
  for (const client of ['node-rdkafka', 'kafkajs'] as const) {
    const [harness, bare] = [perRound[`harness.${client}`], perRound[`bare.${client}`]];
    record(`fullSpeed.harnessMsgsPerSec.${client}`, best[`harness.${client}`]);
    record(`fullSpeed.bareMsgsPerSec.${client}`, best[`bare.${client}`]);
    record(`fullSpeedCeilingRatio.${client}`, best[`harness.${client}`] / best.perf);
    record(`fullSpeedOverheadRatio.${client}`, best[`harness.${client}`] / best[`bare.${client}`]);
    record(`fullSpeedOverheadRatioMedian.${client}`, median(harness.map((h, round) => h.perSec / bare[round].perSec)));
    // CPU per message, this process's, every thread: the bare client's ÷ the harness's (1 = the harness adds nothing).
    record(`fullSpeed.harnessCpuUsPerMessage.${client}`, median(harness.map((h) => h.cpuUsPerMessage!)));
    record(`fullSpeed.bareCpuUsPerMessage.${client}`, median(bare.map((b) => b.cpuUsPerMessage!)));
    record(`fullSpeedCpuRatioMedian.${client}`, median(harness.map((h, round) => bare[round].cpuUsPerMessage! / h.cpuUsPerMessage!)));
  }
  // node-rdkafka's gap, taken apart: the harness without its history lines against the same rounds' bare client.
  const [withoutLines, bare] = [perRound['harness-without-lines.node-rdkafka'], perRound['bare.node-rdkafka']];
  record('fullSpeedWithoutLinesRatioMedian.node-rdkafka', median(withoutLines.map((w, round) => w.perSec / bare[round].perSec)));
  record('fullSpeed.withoutLinesCpuUsPerMessage.node-rdkafka', median(withoutLines.map((w) => w.cpuUsPerMessage!)));
}

/** The recorder and the 10M-message checker: no cluster needed. */
export function benchRecorderAndChecker(record: (key: string, value: number) => void): void {
  const [first, second] = [recorderOpsPerSec(), recorderOpsPerSec()];
  record('historyRecorderOpsPerSec', Math.max(first.total, second.total));
  record('historyRecorderWriteOpsPerSec', Math.max(first.writes, second.writes));
  // A child of its own, so that its peak RSS is the checker's alone.
  const child = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'checker-bench.ts'), String(CHECKER_MESSAGES)], { encoding: 'utf8' });
  const parsed = JSON.parse(child.stdout.trim().split('\n').pop() || '{}') as { checker1MMs?: number; checker1MRssMb?: number };
  if (parsed.checker1MMs === undefined) throw new Error(`checker bench (10M) failed: ${child.stderr.slice(-500)}`);
  record('checker10MMs', parsed.checker1MMs);
  record('checker10MRssMb', parsed.checker1MRssMb!);
}
