import path from 'node:path';
import { check } from './checker/checker';
import { labelAnomalies } from './checker/guarantee-model';
import { CLIENTS } from './clients/clients';
import { customProducerFactory } from './clients/custom-producer';
import type { StartedCluster } from './cluster/started-cluster';
import { FaultSchedule } from './faults/fault-schedule';
import { CoordinatorTable, resolveTarget } from './faults/fault-target';
import { HistoryRecorder } from './history/history-recorder';
import { scenarioFolder } from './run-folder';
import { createStrategy } from './strategies/strategies';
import { resilientProducerFactory } from './resilient/resilient-under-test';
import type { ResilientClient } from './resilient/resilient-options';
import { buildTimeline } from './timeline';
import { drainTopic, writeObserved } from './verify/verifier';
import { runTransactionScenario } from './transactions/run-transaction-scenario';
import { runConsumerScenario } from './consumers/run-consumer-scenario';
import { runWorkload, type WorkloadResult } from './workload/workload';
import type { FaultSummary, ScenarioResult } from '../reports/results-types';
import type { Scenario } from '../scenarios/scenario';
import type { HistoryOp, ObservedRecord } from './history/history-types';

/** @default 5000 — the producer's close (flush) after the workload. */
const PRODUCER_CLOSE_TIMEOUT_MS = 5_000;
/** After close, how long the client may still take to answer its last sends (late outcomes). @default 5000 */
const CLIENT_OUTCOME_GRACE_MS = 5_000;

export interface RunScenarioOptions {
  cluster: StartedCluster;
  /** The run folder; the scenario writes `scenarios/<slug>/` inside it. */
  runDir: string;
  /** Phase names for progress lines: topic, faults, producing, awaiting the client, healing, verifying, checking. */
  onPhase?: (phase: string) => void;
  /**
   * Called once the producer has every first send (phase "awaiting the client"): the rest is the
   * client's own timeouts, so lanes no longer count the scenario as sending. Not called for the
   * consumer and transaction rooms, which run alone.
   */
  onWaiting?: () => void;
}

/**
 * As in the seed, the producer bootstraps through the brokers it can reach: a broker cut from the
 * start is left out of its bootstrap list (it still learns of it from metadata, and tries it).
 */
export function producerBootstrap(scenario: Scenario, cluster: StartedCluster, leaders: Record<number, number>, coordinators: CoordinatorTable = {}): string {
  // A fault on a broker's replication link leaves the producer's way to it alone.
  const cutFromStart = new Set(scenario.faults.filter((f) => f.atMs <= 0 && f.link !== 'replication').map((f) => resolveTarget(f.target, leaders, coordinators)));
  const reachable = cluster.brokers.filter((b) => !cutFromStart.has(b.id));
  return (reachable.length > 0 ? reachable : cluster.brokers).map((b) => b.proxied).join(',');
}

/**
 * The faults as they really happened: injected at, healed at (a fault "healed at the end" gets
 * the time its heal was recorded), read from the nemesis ops of the history.
 */
export function faultWindows(faults: Scenario['faults'], ops: readonly HistoryOp[]): FaultSummary[] {
  const used = new Set<number>();
  const find = (f: 'inject' | 'heal', fault: Scenario['faults'][number], afterMs: number) =>
    ops.find((op) => {
      const value = op.value as { fault?: string; target?: string };
      const match = op.f === f && !used.has(op.index) && value.fault === fault.kind && value.target === fault.target && op.timeMs >= afterMs;
      if (match) used.add(op.index);
      return match;
    });
  return faults.map((fault) => {
    const inject = find('inject', fault, 0);
    const heal = inject ? find('heal', fault, inject.timeMs) : undefined;
    return { ...fault, atMs: inject?.timeMs ?? fault.atMs, healAtMs: heal?.timeMs ?? fault.healAtMs };
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits up to `graceMs` for the client's own outcome of every attempt; returns how many never came. */
async function settledWithin(workload: WorkloadResult, graceMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([workload.clientOutcomes, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  return workload.awaitingClient();
}

/**
 * One scenario end to end: fresh topic, faults, workload, heal, settle, drain over DIRECT, check.
 * Never throws for a scenario-level failure: the result then has verdict 'unknown' and `error`.
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  if (scenario.transactions) return runTransactionScenario(scenario, options); // the transactions room: harness/transactions/
  if (scenario.consumer) return runConsumerScenario(scenario, options); // the consumer room: harness/consumers/
  const { cluster, runDir } = options;
  const phase = options.onPhase ?? (() => {});
  const startedMs = Date.now();
  const { slug, dir, file } = scenarioFolder(runDir, scenario.name);
  const artifacts = { history: file('history.jsonl'), observed: file('observed.jsonl') };
  const recorder = new HistoryRecorder(path.join(runDir, artifacts.history));
  const topic = `kchaos-${slug.slice(0, 180)}-${Date.now().toString(36)}`;
  let leaders: Record<number, number> = {};
  let observed: ObservedRecord[] = [];
  let error: string | undefined;
  const faultErrors: string[] = [];
  let clientOutcomesMissing = 0;

  try {
    phase('topic');
    await cluster.resetProxies();
    await cluster.createTopic(topic, {
      minInsyncReplicas: scenario.config.minInsyncReplicas,
      configs: { 'unclean.leader.election.enable': String(scenario.config.uncleanLeaderElection) },
    });
    leaders = Object.fromEntries((await cluster.partitionState(topic)).map((p) => [p.partition, p.leader]));
    const topicView = { partitions: Object.keys(leaders).length, leaderOf: (p: number) => leaders[p] };

    phase('faults');
    recorder.restartClock(); // time 0 of the history is the first fault, not the topic set-up
    const faults = new FaultSchedule(scenario.faults, cluster, recorder, leaders, (e) => faultErrors.push(String(e)));
    await faults.start();

    // A team's own producer (scenario.producer, client 'custom') or a built-in client.
    // Mode 'resilient': the built-in client inside the resilient producer (harness/resilient/resilient-under-test.ts).
    const createProducer = scenario.producer
      ? customProducerFactory(scenario.producer, { logFile: path.join(dir, 'producer.log') })
      : scenario.mode === 'resilient'
        ? resilientProducerFactory(scenario.client as ResilientClient, scenario.strategy, dir)
        : CLIENTS[scenario.client as keyof typeof CLIENTS];
    const producer = createProducer(producerBootstrap(scenario, cluster, leaders, faults.coordinators()), topic, scenario.config);
    let workload: WorkloadResult | undefined;
    try {
      phase('producing');
      await producer.connect();
      faults.scheduleFromWorkloadStart();
      const strategy = createStrategy(scenario.strategy, scenario.mode, topicView, scenario.workaround, () => recorder.now());
      workload = await runWorkload(producer, strategy, recorder, scenario.workload, scenario.workaround, {
        messagesPerSend: scenario.config.messagesPerSend,
        leaderOf: topicView.leaderOf,
        appDeadlineMs: scenario.config.appDeadlineMs,
        onAllHandedOver: () => {
          phase('awaiting the client');
          options.onWaiting?.();
        },
      });
    } finally {
      phase('healing');
      // Outcomes arriving during heal and close are recorded (late, when already settled as info).
      await faults.healAll();
      await producer.close(PRODUCER_CLOSE_TIMEOUT_MS);
      if (workload) clientOutcomesMissing = await settledWithin(workload, CLIENT_OUTCOME_GRACE_MS);
    }
    recorder.close();

    phase('verifying');
    await sleep(scenario.settleMs);
    observed = await drainTopic(cluster.directBootstrap, topic);
    await writeObserved(path.join(runDir, artifacts.observed), observed);
    await cluster.deleteTopic(topic).catch(() => {}); // keeps the shared cluster small; the files hold the evidence
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    recorder.close();
    await cluster.resetProxies().catch(() => {});
  }
  if (faultErrors.length > 0) error = [error, ...faultErrors.map((e) => `fault: ${e}`)].filter(Boolean).join('; ');

  phase('checking');
  const checked = check(recorder.ops, observed, scenario.expect);
  return {
    name: scenario.name,
    description: scenario.description,
    client: scenario.client,
    strategy: scenario.strategy,
    mode: scenario.mode,
    faults: faultWindows(scenario.faults, recorder.ops),
    config: { ...scenario.config, workload: scenario.workload, workaround: scenario.mode === 'workaround' ? scenario.workaround : undefined, ...(scenario.producer ? { producer: scenario.producer } : {}) },
    counts: checked.counts,
    latencyMs: checked.latencyMs,
    expectations: checked.expectations,
    // A scenario that could not run to the end has no trustworthy counts.
    verdict: error ? 'unknown' : checked.verdict,
    error: error ?? checked.error,
    durationMs: Date.now() - startedMs,
    leaders: Object.fromEntries(Object.entries(leaders).map(([p, l]) => [p, l])),
    timeline: buildTimeline(recorder.ops),
    anomalies: checked.anomalies,
    timeToFirstAckAfterHealMs: checked.timeToFirstAckAfterHealMs,
    artifacts,
    guarantees: labelAnomalies(checked.counts, { ...scenario.config, faults: scenario.faults, mode: scenario.mode, client: scenario.client }),
    clientOutcomesMissing,
  };
}
