import type { Counts, CountName, ExpectationResult, LatencyMs, Verdict, Anomalies } from '../harness/checker/check-types';
import type { Guarantees } from '../harness/checker/guarantee-model';
import type { ShardInfo } from '../harness/shard/shard-plan';
import type { ConsumerAnomalies, ConsumerCounts, ConsumerExpectationResult } from '../harness/checker/consumer-check-types';

/** A consumer scenario's part of its result (harness/consumers/): what the consumer under test did with the pre-filled topic. */
export interface ConsumerResult {
  /** The group the consumers joined (the scenario's base name plus a unique suffix). */
  group: string;
  /** The application's choices: processing mode, API, processing time, commit settings, crash. */
  settings: Record<string, unknown>;
  /** `from` (where atMs counts from: 'first-process' | 'ready'); absent in results written before it existed (= 'ready'). */
  crash: { atMs: number; restartAfterMs: number; from?: string } | null;
  /** A team's own consumer's command (client 'custom'); absent for a built-in client. */
  command?: string[];
  /** A second member that joined (and left) mid-stream; absent when there was none. */
  secondMember?: { joinAtMs: number; leaveAtMs: number | null };
  /** The first consumer's process frozen (SIGSTOP) atMs after its first processed record, for forMs; absent when it was not. */
  freeze?: { atMs: number; forMs: number };
  deadlineMs: number;
  counts: ConsumerCounts;
  /** Longest stall per partition, ms (the cluster healthy: broker process faults excluded). */
  stallMsByPartition: Record<string, number>;
  /** The group's committed position per partition after the run. */
  committed: Record<string, number>;
  anomalies: ConsumerAnomalies;
  expectations: ConsumerExpectationResult[];
}

/** A fault as results.json shows it (DESIGN.md, Contracts). */
export interface FaultSummary {
  kind: string;
  target: string;
  atMs: number;
  /** null when healed only at the end of the run. */
  healAtMs: number | null;
  [detail: string]: unknown;
}

/** Per-second buckets for the report's timeline, per partition ("?" when unknown). */
export interface TimelineBucket {
  second: number;
  partition: string;
  sends: number;
  acks: number;
  errors: number;
}

export interface ScenarioResult {
  name: string;
  client: string;
  strategy: string;
  mode: string;
  description?: string;
  faults: FaultSummary[];
  config: Record<string, unknown>;
  counts: Counts;
  latencyMs: LatencyMs;
  expectations: ExpectationResult[];
  verdict: Verdict;
  error?: string;
  durationMs: number;
  /** Broker id leading each partition when the scenario started, e.g. { "0": 1, "1": 2, "2": 3 }. */
  leaders: Record<string, number>;
  timeline: TimelineBucket[];
  anomalies: Anomalies;
  timeToFirstAckAfterHealMs: Array<number | null>;
  artifacts: { history: string; observed: string; [name: string]: string };
  /** What Kafka promises for this configuration and faults, and each nonzero anomaly labelled against it. */
  guarantees?: Guarantees;
  /**
   * Attempts the client never answered, even after its close: they stay info in the history.
   * 0 for a client that keeps its contract. Absent in results written before it existed.
   */
  clientOutcomesMissing?: number;
  /** Consumer scenarios only: the consumer under test's counts (`counts` above are then the harness's pre-fill). */
  consumer?: ConsumerResult;
}

/** `--repeat N`: per base scenario (name without its #n suffix), how its N runs came out. */
export interface RepeatSummaryEntry {
  name: string;
  runs: number;
  /** How many runs had each verdict. */
  verdicts: Record<Verdict, number>;
  /** Per count that can signal trouble (failed, indeterminate and the anomalies): in how many runs it was > 0. */
  nonzero: Partial<Record<CountName, number>>;
  /** Per count: its min / median / max over the runs. */
  ranges?: Partial<Record<CountName, { min: number; median: number; max: number }>>;
}

/** One input of `kchaos merge`, as the merged results.json names it. */
export interface MergedRun {
  id: string;
  /** The run folder it was read from, as given on the command line. */
  dir: string;
  shard?: ShardInfo;
  scenarios: number;
  complete: boolean;
}

export interface RunResults {
  schemaVersion: 1;
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    backend: string;
    kafkaVersion: string;
    /** false when the run was interrupted (Ctrl-C) before every scenario finished. */
    complete: boolean;
    suite?: string;
    repeat?: number;
    /** `kchaos run --shard i/n`: which share of which plan this run ran (harness/shard/). */
    shard?: ShardInfo;
    /** `kchaos merge`: the runs this one was merged from, in shard order. */
    mergedFrom?: MergedRun[];
  };
  scenarios: ScenarioResult[];
  /** Present when the run repeated its scenarios (--repeat N > 1). */
  repeatSummary?: RepeatSummaryEntry[];
}
