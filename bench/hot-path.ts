import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { OutgoingMessage, ProducerUnderTest, SendOutcome } from '../harness/clients/producer-under-test';
import { HistoryRecorder } from '../harness/history/history-recorder';
import { DEFAULT_WORKAROUND } from '../harness/strategies/partition-strategy';
import { createStrategy } from '../harness/strategies/strategies';
import { grownTo } from '../harness/workload/slot-tokens';
import { runWorkload } from '../harness/workload/workload';

/**
 * `npx tsx bench/hot-path.ts [--messages N]`: the harness's own cost per message at full speed,
 * with no cluster: the workload, strategy and history recorder driving a client that acks every
 * message on the next turn of the event loop. Both forms a client can offer are measured in one
 * run: the callback form (sendEach, node-rdkafka's) and the promise form (send), and the bytes the
 * callback form allocates per message. This is where the full-speed bench's harness ÷ bare client
 * ratio goes; profile it with `node --cpu-prof --import tsx`.
 */

const USAGE = `usage: npx tsx bench/hot-path.ts [--messages N] [--out FILE]
  --messages N   messages per measurement (default 200000); each form runs twice, the best counts
  --out FILE     also writes the figures as JSON (e.g. docs/measured/hot-path-<date>.json)`;

/**
 * A client that acks at once: one setImmediate answers everything sent since the last one. The
 * callback form keeps what it owes in columns and allocates only each outcome (as node-rdkafka's
 * adapter does), so that what the allocation measure finds is the harness's.
 */
function instantClient(form: 'callback' | 'promise'): ProducerUnderTest {
  let answers: Array<() => void> = [];
  let offset = 0;
  const answerSoon = (answer: () => void) => {
    if (answers.length === 0) setImmediate(() => answers.splice(0).forEach((a) => a()));
    answers.push(answer);
  };
  const acked = (m: OutgoingMessage): SendOutcome => ({ ok: true, partition: m.partition ?? 0, offset: offset++ });
  const client: ProducerUnderTest = {
    client: `instant-${form}`,
    connect: async () => {},
    send: (messages) => Promise.all(messages.map((m) => new Promise<SendOutcome>((resolve) => answerSoon(() => resolve(acked(m)))))),
    close: async () => {},
  };
  if (form === 'callback') {
    let ids = new Float64Array(1024);
    let owed = 0;
    let done: (id: number, outcome: SendOutcome) => void = () => {};
    const answerAll = () => {
      const count = owed;
      owed = 0;
      for (let i = 0; i < count; i++) done(ids[i], { ok: true, partition: 0, offset: offset++ });
    };
    client.sendEach = (_m, id, callback) => {
      done = callback;
      if (owed === 0) setImmediate(answerAll);
      if (owed === ids.length) ids = grownTo(ids, owed * 2);
      ids[owed++] = id;
    };
  }
  return client;
}

/**
 * JS heap bytes allocated per message by one callback-form workload, from V8's sampling heap
 * profiler (every object, collected or not), and where they were allocated. Objects that die young
 * cost little each, but at full speed they are what fills the young generation between scavenges.
 */
async function allocatedPerMessage(messages: number): Promise<{ bytesPerMessage: number; sites: Record<string, number> }> {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) => new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  try {
    await post('HeapProfiler.enable');
    let profile: SamplingNode | undefined;
    await measure('callback', messages, {
      before: () => post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }),
      after: async () => void ({ profile: { head: profile } } = await post<{ profile: { head: SamplingNode } }>('HeapProfiler.stopSampling')),
    });
    const bySite = new Map<string, number>();
    const walk = (node: SamplingNode) => {
      const { functionName, url } = node.callFrame;
      const site = `${functionName || '(anonymous)'} (${path.basename(url) || 'native'})`;
      if (node.selfSize > 0) bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      node.children.forEach(walk);
    };
    walk(profile!);
    const total = [...bySite.values()].reduce((a, b) => a + b, 0);
    const top = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 8);
    return { bytesPerMessage: Math.round(total / messages), sites: Object.fromEntries(top.map(([site, bytes]) => [site, Math.round(bytes / messages)])) };
  } finally {
    session.disconnect();
  }
}

interface SamplingNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: SamplingNode[];
}

/** Wall and CPU microseconds per message of one full-speed workload of `messages`; `around` brackets the workload alone. */
async function measure(form: 'callback' | 'promise', messages: number, around: { before(): Promise<void>; after(): Promise<void> } = { before: async () => {}, after: async () => {} }): Promise<{ wallUs: number; cpuUs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-hot-path-'));
  try {
    const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
    const strategy = createStrategy('round-robin', 'library-only', { partitions: 3, leaderOf: () => undefined }, DEFAULT_WORKAROUND, () => recorder.now());
    await around.before();
    const started = performance.now();
    const cpu = process.cpuUsage();
    // The full-speed window of node-rdkafka (harness/workload/full-speed.ts).
    await runWorkload(instantClient(form), strategy, recorder, { messages, ratePerSec: null, concurrency: 100_000, payloadBytes: 100, drainDeadlineMs: 600_000 }, DEFAULT_WORKAROUND, { messagesPerSend: 1, leaderOf: () => undefined });
    const used = process.cpuUsage(cpu);
    const wallUs = ((performance.now() - started) * 1000) / messages;
    await around.after();
    recorder.close();
    return { wallUs, cpuUs: (used.user + used.system) / messages };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const messages = values.messages === undefined ? 200_000 : Number(values.messages);
  if (!Number.isInteger(messages) || messages < 1) {
    process.stderr.write(`hot-path: --messages must be a whole number ≥ 1, got ${values.messages}\n${USAGE}\n`);
    process.exit(2);
  }
  const figures: Record<string, { wallUsPerMessage: number; cpuUsPerMessage: number; loadAverage1m: number }> = {};
  for (const form of ['callback', 'promise'] as const) {
    const runs = [await measure(form, messages), await measure(form, messages)];
    const best = runs.reduce((a, b) => (b.wallUs < a.wallUs ? b : a));
    const load = os.loadavg()[0];
    figures[form] = { wallUsPerMessage: round2(best.wallUs), cpuUsPerMessage: round2(best.cpuUs), loadAverage1m: round2(load) };
    process.stdout.write(`${form} form: ${best.wallUs.toFixed(2)} µs/message wall, ${best.cpuUs.toFixed(2)} µs/message CPU (${messages} messages, best of 2; load ${load.toFixed(1)})\n`);
  }
  // After the timed runs: the sampling profiler slows what it watches.
  const allocated = await allocatedPerMessage(messages);
  process.stdout.write(`callback form: ${allocated.bytesPerMessage} bytes allocated per message (the message's value and outcome included): ${JSON.stringify(allocated.sites)}\n`);
  if (values.out) {
    const summary = { what: 'the harness\'s own cost per message at full speed, no cluster (bench/hot-path.ts)', command: `npx tsx bench/hot-path.ts --messages ${messages}`, measuredAt: new Date().toISOString(), messages, ...figures, callbackFormAllocated: allocated };
    fs.writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`written: ${values.out}\n`);
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

void main();
