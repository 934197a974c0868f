/**
 * kafka-chaos-harness as a library (the package's "main"): define a scenario, start or attach to a
 * cluster, run the scenario, read its counts. The jest preset (kafka-chaos-harness/jest-preset)
 * builds on this.
 *
 *   const cluster = await startCluster();
 *   const result = await runScenario({ name: 'team/k1-down', producer: { module: './my-producer.ts' },
 *     faults: [{ kind: 'blackhole', target: 'k1' }] }, { cluster });
 *   result.counts.undelivered; // 0 if the producer delivered everything
 *   await cluster.stop();
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRunFolder, newRunId } from './run-folder';
import { runScenario as runOneScenario } from './run-scenario';
import { defineScenario } from '../scenarios/define-scenario';
import { createReporterFanout } from '../reports/reporter-fanout';
import { createReporters, ReporterName } from '../reports/registry';
import type { StartedCluster } from './cluster/started-cluster';
import type { RunResults, ScenarioResult } from '../reports/results-types';
import type { Scenario, ScenarioInput } from '../scenarios/scenario';

export { defineScenario } from '../scenarios/define-scenario';
export { loadScenarioFile } from '../scenarios/load-scenarios';
export { SUITES } from '../scenarios/suites';
export { startCluster } from './cluster/start-cluster';
export { connectExternalCluster } from './cluster/external-cluster';
export { describeCluster } from './cluster/started-cluster';
export { check } from './checker/checker';
export { readHistory, readObserved } from './history/jsonl-files';
export { runScenarios } from './run-suite';
export { HarnessError } from './errors';
export { createReporters, REPORTERS } from '../reports/registry';
export { DEFAULT_PRODUCER_SETTINGS } from './clients/producer-under-test';
export { DEFAULT_FACTORY_EXPORT } from './clients/custom-producer';
export { createResilientProducer, ResilientSendError, type ResilientProducer, type ResilientProducerOptions, type ResilientMessage, type ResilientSendResult, type ResilientStats, type KeyedPolicy, type ResilientClient } from './resilient/resilient-producer';

export type { Scenario, ScenarioInput, ScenarioConfig, ProducerSpec, ClientName, TopicSettings } from '../scenarios/scenario';
export type { ScenarioResult, RunResults, FaultSummary } from '../reports/results-types';
export type { StartedCluster, BrokerHandle, TopicOptions, BackendName } from './cluster/started-cluster';
export type { BackendOptions } from './cluster/start-cluster';
export type { ExternalClusterAddress } from './cluster/external-cluster';
export type { LocalClusterOptions } from './cluster/local-cluster';
export type { ProducerSettings, ProducerUnderTest, ProducerFactory, SendOutcome, OutgoingMessage } from './clients/producer-under-test';
export type { CustomProducer, CustomProducerFactory, CustomProducerMessage, CustomProducerSettings, CustomSendResult } from './clients/custom-producer';
export type { Counts, CountName, Anomalies, CheckResult, ExpectationSpec, ExpectationResult, LatencyMs, Verdict } from './checker/check-types';
export type { HistoryOp, ObservedRecord } from './history/history-types';
export type { FaultSpec } from './faults/fault-spec';
export type { WorkloadSettings } from './workload/workload';
export type { WorkaroundSettings, StrategyName, ModeName } from './strategies/partition-strategy';
export type { Reporter } from '../reports/reporter';
export type { ReporterName } from '../reports/registry';
export type { RunOptions, RunOutcome } from './run-suite';

/** Parent of the run folders runScenario makes when given none. @default 'runs' */
export const DEFAULT_OUT_DIR = 'runs';

export interface ScenarioRunOptions {
  /** A running cluster: startCluster(), connectExternalCluster(…), or the preset's shared one. */
  cluster: StartedCluster;
  /** The run folder; the scenario writes `scenarios/<slug>/{history,observed}.jsonl` in it. @default a fresh folder under runs/ */
  runDir?: string;
  /** Phase names as the scenario goes: topic, faults, producing, healing, verifying, checking. */
  onPhase?: (phase: string) => void;
}

/** A scenario's result plus the absolute run folder its artifact paths are relative to. */
export type ScenarioRunResult = ScenarioResult & { runDir: string };

/** A run folder no earlier call of this process used: `runs/<run-id>` (then -2, -3 … within one second). */
function freshRunDir(outDir = DEFAULT_OUT_DIR): string {
  const id = newRunId();
  let candidate = id;
  for (let n = 2; fs.existsSync(path.resolve(outDir, candidate)); n++) candidate = `${id}-${n}`;
  return createRunFolder(outDir, candidate);
}

/**
 * Runs one scenario end to end on `cluster`: a fresh topic, the faults, the workload through the
 * producer under test (a built-in client or the team's own), heal, drain, check. `scenario` may be
 * what defineScenario returns or its input (validated here). Never throws for a failure inside the
 * scenario: the result then has verdict 'unknown' and `error`.
 */
export async function runScenario(scenario: Scenario | ScenarioInput, options: ScenarioRunOptions): Promise<ScenarioRunResult> {
  const resolved = defineScenario(scenario as ScenarioInput); // idempotent on a resolved scenario
  const runDir = path.resolve(options.runDir ?? freshRunDir());
  const result = await runOneScenario(resolved, { cluster: options.cluster, runDir, onPhase: options.onPhase });
  return { ...result, runDir };
}

/**
 * Writes the reports of scenario results gathered in a test file (results.json, junit.xml,
 * report.html by default) into `runDir`. A failing reporter is logged, never thrown.
 */
export async function writeReports(
  results: ScenarioResult[] | RunResults,
  options: { runDir: string; reporters?: ReporterName[]; backend?: string; kafkaVersion?: string },
): Promise<void> {
  const now = new Date().toISOString();
  const run: RunResults = Array.isArray(results)
    ? { schemaVersion: 1, run: { id: path.basename(options.runDir), startedAt: now, finishedAt: now, backend: options.backend ?? 'local', kafkaVersion: options.kafkaVersion ?? 'unknown', complete: true }, scenarios: results }
    : results;
  await createReporterFanout(createReporters(options.reporters ?? ['json', 'junit', 'html'])).onRunEnd(run, options.runDir);
}
