import path from 'node:path';
import { FaultSchedule } from '../faults/fault-schedule';
import { HistoryRecorder } from '../history/history-recorder';
import type { ObservedRecord } from '../history/history-types';
import { scenarioFolder } from '../run-folder';
import { producerBootstrap, type RunScenarioOptions } from '../run-scenario';
import { drainTopic, writeObserved } from '../verify/verifier';
import type { ScenarioResult } from '../../reports/results-types';
import type { Scenario } from '../../scenarios/scenario';
import { TRANSACTIONAL_CLIENTS, type TransactionalClient } from './transactional-clients';
import { runCopierScenario } from './run-copier-scenario';
import { runTransactionWorkload } from './transaction-workload';
import { transactionScenarioResult } from './transaction-scenario-result';
import type { TransactionalProducer } from './transactional-producer';

/** @default 5000 */
const PRODUCER_CLOSE_TIMEOUT_MS = 5_000;

/**
 * A transactions scenario end to end (scenario.transactions set): fresh topic, faults, the
 * transactional workload, heal, then two drains over DIRECT — read_committed (observed.jsonl, what
 * an application's consumer sees) and read_uncommitted (observed-uncommitted.jsonl, what reached
 * the log) — and both checkers: the producer's on the read_committed records, the transactions'
 * on both. Never throws for a scenario-level failure (verdict 'unknown' and `error`).
 */
export async function runTransactionScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  if (scenario.transactions?.copier) return runCopierScenario(scenario, options); // consume-transform-produce: run-copier-scenario.ts
  const { cluster, runDir } = options;
  const settings = scenario.transactions!;
  const phase = options.onPhase ?? (() => {});
  const startedMs = Date.now();
  const { slug, file } = scenarioFolder(runDir, scenario.name);
  const artifacts = { history: file('history.jsonl'), observed: file('observed.jsonl'), observedUncommitted: file('observed-uncommitted.jsonl') };
  const recorder = new HistoryRecorder(path.join(runDir, artifacts.history));
  const topic = `kchaos-${slug.slice(0, 180)}-${Date.now().toString(36)}`;
  let leaders: Record<number, number> = {};
  let committed: ObservedRecord[] = [];
  let uncommitted: ObservedRecord[] | null = null;
  let error: string | undefined;
  const faultErrors: string[] = [];

  try {
    phase('topic');
    await cluster.resetProxies();
    await cluster.createTopic(topic, {
      minInsyncReplicas: scenario.config.minInsyncReplicas,
      configs: { 'unclean.leader.election.enable': String(scenario.config.uncleanLeaderElection) },
    });
    leaders = Object.fromEntries((await cluster.partitionState(topic)).map((p) => [p.partition, p.leader]));

    phase('faults');
    recorder.restartClock();
    const faults = new FaultSchedule(scenario.faults, cluster, recorder, leaders, (e) => faultErrors.push(String(e)));
    await faults.start();
    const factory = TRANSACTIONAL_CLIENTS[scenario.client as TransactionalClient];
    const bootstrap = producerBootstrap(scenario, cluster, leaders, faults.coordinators());
    const createProducer = () => factory(bootstrap, topic, scenario.config, settings);
    let producer: TransactionalProducer = createProducer();
    try {
      phase('producing');
      faults.scheduleFromWorkloadStart();
      producer = await runTransactionWorkload(producer, recorder, settings, {
        partitions: Object.keys(leaders).length,
        payloadBytes: scenario.workload.payloadBytes,
        createProducer,
      });
    } finally {
      phase('healing');
      await faults.healAll();
      await producer.close(PRODUCER_CLOSE_TIMEOUT_MS);
    }
    recorder.close();

    phase('verifying');
    await new Promise((resolve) => setTimeout(resolve, scenario.settleMs));
    committed = await drainTopic(cluster.directBootstrap, topic, { isolation: 'read_committed' });
    await writeObserved(path.join(runDir, artifacts.observed), committed);
    uncommitted = await drainTopic(cluster.directBootstrap, topic, { isolation: 'read_uncommitted' });
    await writeObserved(path.join(runDir, artifacts.observedUncommitted), uncommitted);
    await cluster.deleteTopic(topic).catch(() => {});
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    recorder.close();
    await cluster.resetProxies().catch(() => {});
  }
  if (faultErrors.length > 0) error = [error, ...faultErrors.map((e) => `fault: ${e}`)].filter(Boolean).join('; ');

  phase('checking');
  return transactionScenarioResult(scenario, { ops: recorder.ops, committed, uncommitted, error, startedMs, leaders, artifacts });
}
