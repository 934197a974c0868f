import { ZERO_TRANSACTION_COUNTS } from '../../harness/checker/check-types';
import type { Anomalies, Counts, ExpectationResult } from '../../harness/checker/check-types';
import type { RunResults, ScenarioResult } from '../results-types';

/** Test fixtures: a valid result with every field, so each test states only what it is about. */

export function counts(overrides: Partial<Counts> = {}): Counts {
  return {
    attempted: 100, acked: 100, failed: 0, indeterminate: 0, observed: 100, lostAcked: 0, undelivered: 0,
    deliveredDespiteError: 0, duplicates: 0, reordered: 0, offsetMismatch: 0, unexpected: 0, exposedSends: 0, resends: 0, undeliveredDespiteHealthyTry: 0, ...ZERO_TRANSACTION_COUNTS, ...overrides,
  };
}

export function anomalies(overrides: Partial<Anomalies> = {}): Anomalies {
  return { lostAcked: [], undelivered: [], duplicates: [], reordered: [], deliveredDespiteError: [], offsetMismatch: [], unexpected: [], ...overrides };
}

/** An expectation result computed the way the checker does (eq/lt/lte/gt/gte). */
export function expectation(count: ExpectationResult['count'], op: ExpectationResult['op'], value: number, actual: number): ExpectationResult {
  const pass = { eq: actual === value, lt: actual < value, lte: actual <= value, gt: actual > value, gte: actual >= value }[op];
  return { count, op, value, actual, pass };
}

export function scenarioResult(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  const name = overrides.name ?? 'seed/kafkajs/round-robin/library-only/blackhole-k1';
  return {
    name,
    client: 'kafkajs',
    strategy: 'round-robin',
    mode: 'library-only',
    faults: [{ kind: 'blackhole', target: 'k1', atMs: 2000, healAtMs: 6000 }],
    config: { acks: 'all', idempotent: false, minInsyncReplicas: 2 },
    counts: counts(),
    latencyMs: { p50: 3, p95: 12, p99: 40.5, max: 120 },
    expectations: [],
    verdict: 'pass',
    durationMs: 10_000,
    leaders: { 0: 1, 1: 2, 2: 3 },
    timeline: [],
    anomalies: anomalies(),
    timeToFirstAckAfterHealMs: [],
    artifacts: { history: 'scenarios/s/history.jsonl', observed: 'scenarios/s/observed.jsonl' },
    ...overrides,
  };
}

export function runResults(scenarios: ScenarioResult[], run: Partial<RunResults['run']> = {}): RunResults {
  return {
    schemaVersion: 1,
    run: {
      id: '2026-01-01T00-00-00Z-abcd', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z',
      backend: 'local', kafkaVersion: '3.9.0', complete: true, ...run,
    },
    scenarios,
  };
}
