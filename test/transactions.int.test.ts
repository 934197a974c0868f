import fs from 'node:fs';
import path from 'node:path';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { runScenario } from '../harness/run-scenario';
import type { ScenarioResult } from '../reports/results-types';
import { SUITES } from '../scenarios/suites';
import type { CopyCheckFile } from '../harness/transactions/run-copier-scenario';
import { attachSharedCluster, testRunDir } from './shared-cluster';

// CI's share of the `transactions` suite (`kchaos run transactions`): one fault per client with
// transactions aborted on purpose, and the transactional side of the ack-loss comparison. Each
// meets its pins, set from 5 runs (docs/measured/transactions-repeat.md): node-rdkafka and the
// ack-loss row keep Kafka's promise to a read_committed reader (nothing committed lost, nothing
// aborted read, nothing torn, nothing twice); kafkajs within its measured duplicates and losses
// (scenarios/transactions-expectations.ts says why they are kafkajs'). The aborted transactions
// did reach the log (read_uncommitted sees them), so "no aborted record read" is not vacuous.
// Java's row (docs/measured/transactions-java-repeat.md): 21–30 s a run at load 20–50 when measured, 37 s here at load 16, the JVM's start included.
const SUBSET = ['transactions/node-rdkafka/abort-30/coordinator-cut', 'transactions/kafkajs/abort-30/leader-cut', 'transactions/java/abort-30/coordinator-cut', 'transactions/ack-loss/transactional-read-committed'];
const scenarios = SUITES.transactions().filter((s) => SUBSET.includes(s.name));
// The consume-transform-produce copier (scenarios/transactions-copier.ts): the zombie (the old
// copier SIGSTOPped, a new one with the same transactional.id started, the old one resumed: its
// late transactions must be fenced) and a cut of the copier's link to its transaction coordinator.
const COPIER_SUBSET = ['transactions/copier/node-rdkafka/copier-zombie', 'transactions/copier/node-rdkafka/coordinator-cut'];
const copierScenarios = SUITES.transactions().filter((s) => COPIER_SUBSET.includes(s.name));

let cluster: StartedCluster;
beforeAll(async () => {
  cluster = await attachSharedCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

test('the subsets are the scenarios they name', () => {
  expect(scenarios.map((s) => s.name).sort()).toEqual([...SUBSET].sort());
  expect(copierScenarios.map((s) => s.name).sort()).toEqual([...COPIER_SUBSET].sort());
});

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
  test('meets its measured pins under its fault, with aborted data in the log', async () => {
    const result: ScenarioResult = await runScenario(scenario, { cluster, runDir: testRunDir() });
    expect(result.error).toBeUndefined();
    expect(result.expectations.filter((e) => !e.pass)).toEqual([]);
    const { abortedRead, duplicatesAcrossTransactions } = result.counts;
    expect({ abortedRead, duplicatesAcrossTransactions }).toEqual({ abortedRead: 0, duplicatesAcrossTransactions: 0 });
    expect(result.counts.txnCommitted).toBeGreaterThan(0);
    const settings = scenario.transactions!;
    expect(result.counts.attempted).toBe(settings.transactions * settings.messagesPerTransaction);
    expect(result.counts.exposedSends + result.faults.length).toBeGreaterThan(0);
    if (settings.abortShare > 0) {
      expect(result.counts.txnAborted).toBeGreaterThan(0);
      expect(result.counts.abortedWritten).toBeGreaterThan(0);
    }
    expect(fs.existsSync(path.join(testRunDir(), result.artifacts.observedUncommitted!))).toBe(true);
  }, 90_000);
});

describe.each(copierScenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
  test('copies the input to the output exactly once under its fault; a resumed zombie commits nothing', async () => {
    const result: ScenarioResult = await runScenario(scenario, { cluster, runDir: testRunDir() });
    expect(result.error).toBeUndefined();
    expect(result.expectations.filter((e) => !e.pass)).toEqual([]);
    const copy = JSON.parse(fs.readFileSync(path.join(testRunDir(), result.artifacts.copyCheck!), 'utf8')) as CopyCheckFile;
    expect({ exactlyOnce: copy.exactlyOnce, missing: copy.missing, duplicated: copy.duplicated, abortedVisible: copy.abortedVisible }).toEqual({ exactlyOnce: true, missing: 0, duplicated: 0, abortedVisible: 0 });
    expect(copy.input).toBe(scenario.transactions!.copier!.records);
    if (scenario.transactions!.copier!.processFault === 'zombie') {
      expect(copy.copiers).toBeGreaterThanOrEqual(2);
      expect(copy.zombie).toMatchObject({ lateCommitsAccepted: 0 });
      expect(copy.zombie!.lateTransactionsRejected).toBe(copy.zombie!.lateTransactions);
    } else {
      expect(result.faults.length).toBe(1);
    }
  }, 150_000);
});
