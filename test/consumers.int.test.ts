import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { installHint, isClientInstalled } from '../harness/clients/installed-clients';
import { checkConsumerFiles } from '../harness/checker/consumer-check-files';
import { CONSUMER_CHILD_MARKER } from '../harness/consumers/consumer-host';
import { runScenario } from '../harness/run-scenario';
import { createReporters } from '../reports/registry';
import { createReporterFanout } from '../reports/reporter-fanout';
import type { RunResults, ScenarioResult } from '../reports/results-types';
import { SUITES } from '../scenarios/suites';
import { attachSharedCluster, sharedClusterInfo, testRunDir } from './shared-cluster';

// CI's share of the `consumers` suite (`kchaos run consumers`): the crash (a real SIGKILL of the
// consumer's process and a restart in the same group) at most once with librdkafka and at least
// once with kafkajs, and the consumer twin of KAFKA-3686 (k1 cut while the cluster is healthy)
// with kafkajs (every partition waits) and Confluent's client (only p0 waits), and Confluent's
// crash at least once: its SIGKILL now counts from the first processed record (crash.from), so it
// lands in consumption (c1 had processed 91-134 of 150 in 15 of 15 measured runs; counted from ready
// it once hit a consumer that had processed nothing).
const SUBSET = [
  'consumers/node-rdkafka/commit-before-processing/eachMessage/crash',
  'consumers/kafkajs/commit-after-processing/eachMessage/crash',
  'consumers/confluent/commit-after-processing/eachMessage/crash',
  'consumers/kafkajs/commit-after-processing/eachMessage/blackhole-k1',
  'consumers/confluent/commit-after-processing/eachMessage/blackhole-k1',
];
const scenarios = SUITES.consumers().filter((s) => SUBSET.includes(s.name));
const results: ScenarioResult[] = [];
let cluster: StartedCluster;
const startedAt = new Date().toISOString();

beforeAll(async () => {
  cluster = await attachSharedCluster();
});
afterAll(async () => {
  await cluster?.stop();
  if (results.length === 0) return;
  const run: RunResults = {
    schemaVersion: 1,
    run: { id: 'consumers-subset-test', startedAt, finishedAt: new Date().toISOString(), backend: 'local', kafkaVersion: sharedClusterInfo().kafkaVersion, complete: results.length === scenarios.filter((s) => isClientInstalled(s.client)).length, suite: 'consumers' },
    scenarios: results,
  };
  await createReporterFanout(createReporters(['json'])).onRunEnd(run, `${testRunDir()}/consumers-results`);
});

/** Consumer children of this jest process still alive (there must be none after a scenario). */
function consumerChildren(): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(CONSUMER_CHILD_MARKER) && line.trim().split(/\s+/)[1] === String(process.pid));
}

test('the subset is the scenarios it names', () => {
  expect(scenarios.map((s) => s.name).sort()).toEqual([...SUBSET].sort());
});

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (name, scenario) => {
  if (!isClientInstalled(scenario.client)) {
    test.skip(`skipped: client ${scenario.client} is not installed (${installHint(scenario.client!)})`, () => {});
    return;
  }
  test('holds its claims; consumer counts in the result and re-checked offline the same; no consumer process left', async () => {
    const result = await runScenario(scenario, { cluster, runDir: testRunDir() });
    results.push(result);
    const failing = [...result.expectations, ...(result.consumer?.expectations ?? [])].filter((e) => !e.pass).map((e) => `${e.count} ${e.op} ${e.value}, actual ${e.actual}`);
    expect({ verdict: result.verdict, error: result.error, failing }).toEqual({ verdict: 'pass', error: undefined, failing: [] });
    const consumer = result.consumer!;
    expect(consumer.counts.records).toBe(scenario.consumer!.messages);
    if (name.endsWith('/crash')) expect(consumer.counts).toMatchObject({ crashes: 1, rebalances: expect.any(Number) });
    if (name.endsWith('/crash')) expect(consumer.counts.rebalances).toBeGreaterThanOrEqual(2); // c1's assignment, then c2's
    if (name.includes('/commit-after-processing/')) expect(consumer.counts.unconsumed).toBe(0);
    if (name.endsWith('/blackhole-k1')) expect(consumer.counts.heldByLinkFault).toBeGreaterThanOrEqual(1); // p0 waits for the heal
    const offline = await checkConsumerFiles(path.join(testRunDir(), result.artifacts.history), path.join(testRunDir(), result.artifacts.observed));
    expect(offline?.counts).toEqual(consumer.counts);
    expect(consumerChildren()).toEqual([]);
  }, 150_000);
});
