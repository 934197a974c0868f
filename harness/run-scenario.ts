import fs from 'node:fs';
import path from 'node:path';
import { check } from './checker/checker';
import { labelAnomalies } from './checker/guarantee-model';
import { CLIENTS } from './clients/clients';
import { customProducerFactory } from './clients/custom-producer';
import type { StartedCluster } from './cluster/started-cluster';
import { FaultSchedule } from './faults/fault-schedule';
import { resolveTarget } from './faults/fault-spec';
import { HistoryRecorder } from './history/history-recorder';
import { scenarioSlug } from './run-folder';
import { createStrategy } from './strategies/strategies';
import { resilientProducerFactory } from './resilient/resilient-under-test';
import type { ResilientClient } from './resilient/resilient-options';
import { buildTimeline } from './timeline';
import { drainTopic, writeObserved } from './verify/verifier';
import { runWorkload } from './workload/workload';
import type { FaultSummary, ScenarioResult } from '../reports/results-types';
import type { Scenario } from '../scenarios/scenario';
import type { HistoryOp, ObservedRecord } from './history/history-types';

/** @default 5000 — the producer's close (flush) after the workload. */
const PRODUCER_CLOSE_TIMEOUT_MS = 5_000;

export interface RunScenarioOptions {
  cluster: StartedCluster;
  /** The run folder; the scenario writes `scenarios/<slug>/` inside it. */
  runDir: string;
  /** Phase names for progress lines: topic, faults, producing, healing, verifying, checking. */
  onPhase?: (phase: string) => void;
}

/**
 * As in the seed, the producer bootstraps through the brokers it can reach: a broker cut from the
 * start is left out of its bootstrap list (it still learns of it from metadata, and tries it).
 */
export function producerBootstrap(scenario: Scenario, cluster: StartedCluster, leaders: Record<number, number>): string {
  // A fault on a broker's replication link leaves the producer's way to it alone.
  const cutFromStart = new Set(scenario.faults.filter((f) => f.atMs <= 0 && f.link !== 'replication').map((f) => resolveTarget(f.target, leaders)));
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

/**
 * One scenario end to end: fresh topic, faults, workload, heal, settle, drain over DIRECT, check.
 * Never throws for a scenario-level failure: the result then has verdict 'unknown' and `error`.
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const { cluster, runDir } = options;
  const phase = options.onPhase ?? (() => {});
  const startedMs = Date.now();
  const slug = scenarioSlug(scenario.name);
  const dir = path.join(runDir, 'scenarios', slug);
  fs.mkdirSync(dir, { recursive: true });
  const artifacts = { history: `scenarios/${slug}/history.jsonl`, observed: `scenarios/${slug}/observed.jsonl` };
  const recorder = new HistoryRecorder(path.join(runDir, artifacts.history));
  const topic = `kchaos-${slug.slice(0, 180)}-${Date.now().toString(36)}`;
  let leaders: Record<number, number> = {};
  let observed: ObservedRecord[] = [];
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
    const producer = createProducer(producerBootstrap(scenario, cluster, leaders), topic, scenario.config);
    try {
      phase('producing');
      await producer.connect();
      faults.scheduleFromWorkloadStart();
      const strategy = createStrategy(scenario.strategy, scenario.mode, topicView, scenario.workaround, () => recorder.now());
      await runWorkload(producer, strategy, recorder, scenario.workload, scenario.workaround, {
        messagesPerSend: scenario.config.messagesPerSend,
        leaderOf: topicView.leaderOf,
      });
    } finally {
      phase('healing');
      await faults.healAll();
      await producer.close(PRODUCER_CLOSE_TIMEOUT_MS);
    }
    recorder.close(); // late outcomes after close are not history (they were settled as info)

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
  };
}
