/**
 * A team's own consumer (`consumer.command`, client 'custom'): examples/child-process-consumer/
 * consumer.js, a plain Node script over kafkajs speaking docs/consumer-protocol.md, run by the
 * harness through the real cluster and proxies, SIGKILLed mid-stream and restarted in the same
 * group. Its history is recorded and checked like a built-in client's.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { checkConsumerFiles } from '../harness/checker/consumer-check-files';
import { CONSUMER_CHILD_MARKER } from '../harness/consumers/consumer-host';
import { runScenario } from '../harness/run-scenario';
import { loadScenarioFile } from '../scenarios/load-scenarios';
import { attachSharedCluster, testRunDir } from './shared-cluster';

const [scenario] = loadScenarioFile(path.join(__dirname, '..', 'examples', 'child-process-consumer', 'crash.scenario.ts'));
let cluster: StartedCluster;

beforeAll(async () => {
  cluster = await attachSharedCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Processes of this jest process's consumers still alive (the marker is in their start argument). */
function consumerChildren(): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(CONSUMER_CHILD_MARKER) && line.trim().split(/\s+/)[1] === String(process.pid));
}

test('a team\'s own consumer process under a SIGKILL: two incarnations recorded, claims hold, re-checked offline the same, nothing left running', async () => {
  const result = await runScenario(scenario!, { cluster, runDir: testRunDir() });
  const failing = [...result.expectations, ...(result.consumer?.expectations ?? [])].filter((e) => !e.pass).map((e) => `${e.count} ${e.op} ${e.value}, actual ${e.actual}`);
  expect({ verdict: result.verdict, error: result.error, failing }).toEqual({ verdict: 'pass', error: undefined, failing: [] });
  expect(result.client).toBe('custom');
  expect(result.consumer!.command).toEqual(scenario!.consumer!.command);
  expect(result.consumer!.counts).toMatchObject({ records: 150, crashes: 1, processedLost: 0 });
  expect(result.consumer!.counts.rebalances).toBeGreaterThanOrEqual(2); // c1's assignment, then c2's
  // The crash counted from c1's first processed record: c1 had processed records when it died.
  const history = fs.readFileSync(path.join(testRunDir(), result.artifacts.history), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const crashAt = history.find((op) => op.f === 'crash').timeMs;
  const firstProcessed = history.find((op) => op.f === 'process' && op.type === 'ok' && op.process === 'c1');
  expect(firstProcessed).toBeDefined();
  expect(crashAt).toBeGreaterThan(firstProcessed.timeMs);
  expect(history.some((op) => op.f === 'process' && op.type === 'ok' && op.process === 'c2')).toBe(true);
  const offline = await checkConsumerFiles(path.join(testRunDir(), result.artifacts.history), path.join(testRunDir(), result.artifacts.observed));
  expect(offline?.counts).toEqual(result.consumer!.counts);
  expect(consumerChildren()).toEqual([]);
}, 150_000);
