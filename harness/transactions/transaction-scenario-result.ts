import { check } from '../checker/checker';
import { evaluateSpec } from '../checker/expectations';
import { checkTransactions, type TransactionCheck } from '../checker/transaction-checker';
import type { HistoryOp, ObservedRecord } from '../history/history-types';
import { faultWindows } from '../run-scenario';
import { buildTimeline } from '../timeline';
import type { ScenarioResult } from '../../reports/results-types';
import type { Scenario } from '../../scenarios/scenario';

export interface TransactionRun {
  ops: readonly HistoryOp[];
  /** The topic read back read_committed, and read_uncommitted (null when that read failed). */
  committed: ObservedRecord[];
  uncommitted: ObservedRecord[] | null;
  /** Why the run could not finish (no verdict then). */
  error?: string;
  /** Why the counts cannot be trusted although the run finished; wins over the producer checker's. */
  checkError?: string;
  startedMs: number;
  leaders: Record<number, number>;
  artifacts: ScenarioResult['artifacts'];
}

/**
 * One transactional scenario's result, the same for the producer workload and the copier: the producer
 * counts and the transaction counts over the read_committed view, judged by the scenario's claims.
 * The copier passes the transaction check it already made (its copy check needs the statuses).
 */
export function transactionScenarioResult(
  scenario: Scenario,
  run: TransactionRun,
  transactionCheck: TransactionCheck = checkTransactions(run.ops, run.committed, run.uncommitted),
): ScenarioResult {
  const producerCheck = check(run.ops, run.committed, {});
  const counts = { ...producerCheck.counts, ...transactionCheck.counts };
  let expectations: ScenarioResult['expectations'] = [];
  let checkError = run.checkError ?? producerCheck.error;
  try {
    expectations = evaluateSpec(scenario.expect, counts);
  } catch (e) {
    checkError = e instanceof Error ? e.message : String(e);
  }
  const verdict = run.error || checkError ? 'unknown' : expectations.every((r) => r.pass) ? 'pass' : 'fail';
  return {
    name: scenario.name,
    description: scenario.description,
    client: scenario.client,
    strategy: scenario.strategy,
    mode: scenario.mode,
    faults: faultWindows(scenario.faults, run.ops),
    config: { ...scenario.config, workload: scenario.workload, transactions: scenario.transactions! },
    counts,
    latencyMs: producerCheck.latencyMs,
    expectations,
    verdict,
    error: run.error ?? checkError,
    durationMs: Date.now() - run.startedMs,
    leaders: run.leaders,
    timeline: buildTimeline(run.ops),
    anomalies: producerCheck.anomalies,
    timeToFirstAckAfterHealMs: producerCheck.timeToFirstAckAfterHealMs,
    artifacts: run.artifacts,
  };
}
