import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { check } from '../checker/checker';
import { checkConsumers, evaluateConsumerExpectations } from '../checker/consumer-checker';
import { createRdkafkaProducer } from '../clients/rdkafka-producer';
import { DEFAULT_PRODUCER_SETTINGS } from '../clients/producer-under-test';
import { FaultSchedule } from '../faults/fault-schedule';
import { findCoordinator } from '../cluster/find-coordinator';
import { HistoryRecorder } from '../history/history-recorder';
import type { ObservedRecord } from '../history/history-types';
import { scenarioFolder } from '../run-folder';
import { faultWindows, producerBootstrap, type RunScenarioOptions } from '../run-scenario';
import { createStrategy } from '../strategies/strategies';
import { buildTimeline } from '../timeline';
import { drainTopic, writeObserved } from '../verify/verifier';
import { runWorkload } from '../workload/workload';
import type { ConsumerResult, ScenarioResult } from '../../reports/results-types';
import type { Scenario } from '../../scenarios/scenario';
import { HostedConsumer, newProgress, type ConsumptionProgress } from './consumer-host';

/** The live consumer's graceful close (its library's final commit included). @default 10000 */
const CONSUMER_CLOSE_TIMEOUT_MS = 10_000;
/** How often the harness looks whether every partition's committed position reached its end. @default 100 */
const PROGRESS_CHECK_MS = 100;
/** The second member of the group (scenario.consumer.secondMember), beside c1 (and c2 after a crash). */
export const SECOND_MEMBER = 'm2';
/** The process name of the harness's own ops in a consumer history (the committed-offsets read). */
export const HARNESS_PROCESS = 'harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The pre-fill's settings: the harness's own producer over DIRECT, retried so every record lands,
 * and idempotent so a retried Produce does not land twice (the copier's fill once wrote a record
 * twice under load, and a duplicate in the input would be counted against the consumer).
 */
const PREFILL_SETTINGS = { ...DEFAULT_PRODUCER_SETTINGS, acks: 'all' as const, idempotent: true, retries: 5, requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 };

/** Fault targets written against the group's base name point at this run's group. */
function withRunGroup(scenario: Scenario, base: string, group: string): Scenario['faults'] {
  return scenario.faults.map((f) => (f.target === `groupCoordinatorOf(${base})` ? { ...f, target: `groupCoordinatorOf(${group})` } : f));
}

/** Resolves true once `done()` holds, false once `giveUp()` does (checked every PROGRESS_CHECK_MS). */
async function waitUntil(done: () => boolean, giveUp: () => boolean): Promise<boolean> {
  for (;;) {
    if (done()) return true;
    if (giveUp()) return false;
    await sleep(PROGRESS_CHECK_MS);
  }
}

/** Group ids tried before giving up on coordinatorAwayFrom. @default 20 */
const GROUP_ID_TRIES = 20;

/** A fresh group id for this run: `<base>-<suffix>`, its coordinator not on `awayFrom` when one is named. */
async function runGroup(directBootstrap: string, base: string, awayFrom: string | null): Promise<string> {
  const stamp = Date.now().toString(36);
  if (awayFrom === null) return `${base}-${stamp}`;
  const avoid = Number(awayFrom.slice(1));
  for (let i = 0; i < GROUP_ID_TRIES; i++) {
    const group = `${base}-${stamp}${i}`;
    if ((await findCoordinator(directBootstrap, 'group', group)) !== avoid) return group;
  }
  throw new Error(`no group id of ${GROUP_ID_TRIES} tried has its coordinator away from ${awayFrom}`);
}

/** Every partition with records has a committed position at (or past) its end. */
function complete(ends: Map<number, number>, progress: ConsumptionProgress): boolean {
  for (const [partition, end] of ends) if ((progress.committed.get(partition) ?? 0) < end) return false;
  return true;
}

/** The group's committed offsets, read over DIRECT after the run (what a new member would start from). */
async function readCommitted(directBootstrap: string, group: string, topic: string): Promise<Array<{ partition: number; offset: number | null }>> {
  const admin = new Kafka({ clientId: 'kchaos-committed', brokers: directBootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return (entry?.partitions ?? []).map((p) => ({ partition: p.partition, offset: Number(p.offset) >= 0 ? Number(p.offset) : null })).sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * A consumer scenario end to end: fresh topic; the harness fills it (node-rdkafka over DIRECT,
 * recorded as sends of process p1, so the producer checker vouches for the pre-fill); faults; the
 * consumer under test (`scenario.client`) in a child process, in a fresh group, until every
 * partition's committed position reached its end or the scenario's deadline; a crash (SIGKILL)
 * and restart when the scenario says; heal; the live consumer's graceful close; the group's
 * committed offsets read over DIRECT; drain; both checkers. Never throws for a scenario-level
 * failure: the result then has verdict 'unknown' and `error`.
 */
export async function runConsumerScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const spec = scenario.consumer!;
  const { cluster, runDir } = options;
  const phase = options.onPhase ?? (() => {});
  const startedMs = Date.now();
  const { slug, file } = scenarioFolder(runDir, scenario.name);
  const artifacts = { history: file('history.jsonl'), observed: file('observed.jsonl'), consumerLog: file('consumer.log') };
  const recorder = new HistoryRecorder(path.join(runDir, artifacts.history));
  const topic = `kchaos-${slug.slice(0, 180)}-${Date.now().toString(36)}`;
  let group = `${spec.group}-${Date.now().toString(36)}`;
  let faultsOfRun = withRunGroup(scenario, spec.group, group);
  let leaders: Record<number, number> = {};
  let observed: ObservedRecord[] = [];
  let error: string | undefined;
  const faultErrors: string[] = [];
  const consumers: HostedConsumer[] = [];
  const progress = newProgress();

  try {
    phase('topic');
    await cluster.resetProxies();
    await cluster.createTopic(topic, { minInsyncReplicas: scenario.config.minInsyncReplicas });
    leaders = Object.fromEntries((await cluster.partitionState(topic)).map((p) => [p.partition, p.leader]));
    const topicView = { partitions: Object.keys(leaders).length, leaderOf: (p: number) => leaders[p] };

    phase('pre-filling');
    recorder.restartClock();
    const producer = createRdkafkaProducer(cluster.directBootstrap, topic, PREFILL_SETTINGS);
    await producer.connect();
    try {
      const strategy = createStrategy('manual', 'library-only', topicView, scenario.workaround, () => recorder.now());
      await runWorkload(producer, strategy, recorder, { ...scenario.workload, messages: spec.messages, ratePerSec: null }, scenario.workaround, { messagesPerSend: 1, leaderOf: topicView.leaderOf });
    } finally {
      await producer.close(5_000);
    }
    const ends = new Map<number, number>();
    for (const op of recorder.ops) {
      const v = op.value as { partition?: number | null; offset?: number | null };
      if (op.f === 'send' && op.type === 'ok' && typeof v.partition === 'number' && typeof v.offset === 'number') ends.set(v.partition, Math.max(ends.get(v.partition) ?? 0, v.offset + 1));
    }

    phase('faults');
    group = await runGroup(cluster.directBootstrap, spec.group, spec.coordinatorAwayFrom);
    faultsOfRun = withRunGroup(scenario, spec.group, group);
    const faults = new FaultSchedule(faultsOfRun, cluster, recorder, leaders, (e) => faultErrors.push(String(e)));
    await faults.start();
    const bootstrap = producerBootstrap({ ...scenario, faults: faultsOfRun }, cluster, leaders, faults.coordinators());
    const hosted = (consumerId: string) =>
      new HostedConsumer({
        consumerId, client: scenario.client, bootstrap, topic, recorder, progress,
        settings: { ...spec.settings, groupId: group },
        logFile: path.join(runDir, artifacts.consumerLog),
        command: spec.command,
      });
    try {
      phase('consuming');
      const first = hosted('c1');
      consumers.push(first);
      await first.start();
      faults.scheduleFromWorkloadStart();
      const consumeStartMs = recorder.now();
      // The scenario's own actions on the group (crash + restart, freeze, a second member), each run
      // beside the observation loop; the loop ends early only once every one of them has finished.
      const actions: Array<{ what: string; done: boolean; run: Promise<void> }> = [];
      const act = (what: string, body: () => Promise<void>) => {
        const action = { what, done: false, run: Promise.resolve() };
        action.run = body().finally(() => (action.done = true));
        action.run.catch(() => {}); // its error is reported after the loop, not as an unhandled rejection meanwhile
        actions.push(action);
      };
      // Crash and freeze clocks start at c1's first processed record, so they land in consumption.
      const firstProcessed = async (what: string) => {
        if (!(await waitUntil(() => progress.processed.size > 0, () => recorder.now() - consumeStartMs >= spec.deadlineMs))) {
          throw new Error(`${what}: consumer c1 processed no record within the deadline (${spec.deadlineMs} ms); no ${what}`);
        }
      };
      if (spec.crash) {
        const { atMs, restartAfterMs, from } = spec.crash;
        act('consumer restart', async () => {
          if (from === 'first-process') await firstProcessed('crash');
          await sleep(atMs);
          await first.kill();
          await sleep(restartAfterMs);
          const next = hosted('c2');
          consumers.push(next);
          await next.start();
        });
      }
      if (spec.freeze) {
        const { atMs, forMs } = spec.freeze;
        act('consumer freeze', async () => {
          await firstProcessed('freeze');
          await sleep(atMs);
          await first.freeze(forMs);
        });
      }
      if (spec.secondMember) {
        const { joinAtMs, leaveAtMs } = spec.secondMember;
        act('second member', async () => {
          await sleep(joinAtMs);
          const second = hosted(SECOND_MEMBER);
          consumers.push(second);
          await second.start();
          if (leaveAtMs !== null) {
            await sleep(Math.max(0, consumeStartMs + leaveAtMs - recorder.now()));
            recorder.record(SECOND_MEMBER, 'info', 'leave', { consumer: SECOND_MEMBER });
            await second.close(CONSUMER_CLOSE_TIMEOUT_MS);
          }
        });
      }
      while (recorder.now() - consumeStartMs < spec.deadlineMs) {
        if (actions.every((a) => a.done) && complete(ends, progress)) break;
        await sleep(PROGRESS_CHECK_MS);
      }
      for (const action of actions) await action.run.catch((e: unknown) => faultErrors.push(`${action.what}: ${String(e)}`));
    } finally {
      phase('healing');
      await faults.healAll();
      for (const consumer of consumers) await consumer.close(CONSUMER_CLOSE_TIMEOUT_MS);
    }
    recorder.record(HARNESS_PROCESS, 'ok', 'committed', { group, offsets: await readCommitted(cluster.directBootstrap, group, topic) });
    recorder.close();

    phase('verifying');
    await sleep(scenario.settleMs);
    observed = await drainTopic(cluster.directBootstrap, topic);
    await writeObserved(path.join(runDir, artifacts.observed), observed);
    await cluster.deleteTopic(topic).catch(() => {});
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    for (const consumer of consumers) await consumer.kill().catch(() => {}); // nothing outlives the scenario
    recorder.close();
    await cluster.resetProxies().catch(() => {});
  }
  if (faultErrors.length > 0) error = [error, ...faultErrors.map((e) => `fault: ${e}`)].filter(Boolean).join('; ');

  phase('checking');
  const prefill = check(recorder.ops, observed, scenario.expect);
  let consumer: ConsumerResult | undefined;
  let consumerError: string | undefined;
  try {
    const checked = checkConsumers(recorder.ops, observed);
    consumer = {
      group, settings: { ...spec.settings, messages: spec.messages }, crash: spec.crash, ...(spec.command ? { command: spec.command } : {}), ...(spec.secondMember ? { secondMember: spec.secondMember } : {}), ...(spec.freeze ? { freeze: spec.freeze } : {}), deadlineMs: spec.deadlineMs,
      counts: checked.counts, stallMsByPartition: checked.stallMsByPartition, committed: checked.committed, anomalies: checked.anomalies,
      expectations: evaluateConsumerExpectations(spec.expect, checked.counts),
    };
  } catch (e) {
    consumerError = `consumer checker: ${e instanceof Error ? e.message : String(e)}`;
  }
  const consumerHolds = consumer !== undefined && consumer.expectations.every((x) => x.pass);
  const verdict = error || consumerError ? 'unknown' : prefill.verdict === 'pass' && consumerHolds ? 'pass' : prefill.verdict === 'unknown' ? 'unknown' : 'fail';
  return {
    name: scenario.name,
    description: scenario.description,
    client: scenario.client,
    strategy: 'manual',
    mode: spec.settings.mode,
    faults: faultWindows(faultsOfRun, recorder.ops),
    config: { ...scenario.config, workload: { ...scenario.workload, messages: spec.messages, ratePerSec: null }, consumer: { ...spec.settings, group: spec.group, deadlineMs: spec.deadlineMs, crash: spec.crash, ...(spec.command ? { command: spec.command } : {}), ...(spec.secondMember ? { secondMember: spec.secondMember } : {}), ...(spec.freeze ? { freeze: spec.freeze } : {}) } },
    counts: prefill.counts,
    latencyMs: prefill.latencyMs,
    expectations: prefill.expectations,
    verdict,
    error: error ?? consumerError ?? prefill.error,
    durationMs: Date.now() - startedMs,
    leaders: Object.fromEntries(Object.entries(leaders)),
    timeline: buildTimeline(recorder.ops),
    anomalies: prefill.anomalies,
    timeToFirstAckAfterHealMs: prefill.timeToFirstAckAfterHealMs,
    artifacts,
    consumer,
  };
}
