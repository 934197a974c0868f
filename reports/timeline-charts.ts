import type { HistoryOp } from '../harness/history/history-types';
import type { ScenarioResult } from './results-types';

/** A fault's active span, in ms since the scenario started. */
export interface FaultWindow {
  fromMs: number;
  toMs: number;
  label: string;
}

/** A heal, and when the first ack after it came (null: none came). */
export interface HealMark {
  atMs: number;
  firstAckAfterMs: number | null;
}

/** One partition's counts per bucket; partition "?" holds the sends no answer ever placed. */
export interface PartitionSeries {
  partition: string;
  title: string;
  sends: number[];
  acks: number[];
  errors: number[];
}

/** The data of one scenario's charts (one chart per partition, same x axis). */
export interface ScenarioTimeline {
  bucketMs: number;
  /** Where the buckets came from: the history (attributed) or results.json's per-second buckets. */
  source: 'history' | 'results';
  partitions: PartitionSeries[];
  windows: FaultWindow[];
  heals: HealMark[];
}

/** Bucket widths a reader can think in; the smallest giving at most MAX_BUCKETS is used. */
const NICE_BUCKET_MS = [50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
/** About one point per 10 px of a 800 px chart: enough to see a fault's edge, few enough to read. */
export const MAX_BUCKETS = 80;

export const UNKNOWN_PARTITION_TITLE = 'partition unknown: sends no answer ever placed (the client chose the partition and never said which)';

/**
 * The smallest nice bucket width that covers `spanMs` in at most MAX_BUCKETS buckets; beyond the
 * nicest (a history whose times run past 13 hours, or a hostile one) the width that still does,
 * so a chart never allocates more than MAX_BUCKETS + 1 buckets.
 */
export function bucketWidthMs(spanMs: number): number {
  const span = Math.max(1, Number.isFinite(spanMs) ? spanMs : 1);
  return NICE_BUCKET_MS.find((w) => Math.ceil(span / w) <= MAX_BUCKETS) ?? Math.ceil(span / MAX_BUCKETS);
}

interface Attempt {
  partition: number | null;
}

/**
 * Charts from the history: a send counts on the partition it was placed on, which for a client
 * that chooses the partition itself is only known from its answer (the ack's partition, the
 * failure's partition or last tried one). Only sends whose every answer named no partition, or
 * that got no answer, stay "unknown". Without a history, results.json's per-second buckets (where
 * a send's partition is the one the app asked for) are used and the chart says so.
 */
export function scenarioTimeline(scenario: ScenarioResult, ops: ReadonlyArray<HistoryOp | null> | null): ScenarioTimeline | null {
  const leaders = scenario.leaders ?? {};
  const faults = scenario.faults ?? [];
  if (ops) {
    const sendOps = ops.filter((op): op is HistoryOp => op !== null && op.f === 'send' && Number.isFinite(op.timeMs));
    if (sendOps.length > 0) return fromHistory(scenario, ops, sendOps, leaders);
  }
  const buckets = scenario.timeline ?? [];
  if (buckets.length === 0) return null;
  const lastSecond = Math.max(...buckets.map((b) => b.second), ...faults.map((f) => Math.ceil((f.healAtMs ?? f.atMs) / 1000) - 1));
  const length = Math.max(1, lastSecond + 1);
  const byPartition = new Map<string, PartitionSeries>();
  for (const b of buckets) {
    if (b.second < 0) continue;
    const series = seriesFor(byPartition, b.partition, length, leaders, false);
    series.sends[b.second] += b.sends;
    series.acks[b.second] += b.acks;
    series.errors[b.second] += b.errors;
  }
  return {
    bucketMs: 1000, source: 'results', partitions: sortedSeries(byPartition),
    windows: faultWindows(scenario, length * 1000), heals: healMarks(scenario, null),
  };
}

function fromHistory(scenario: ScenarioResult, ops: ReadonlyArray<HistoryOp | null>, sendOps: HistoryOp[], leaders: Record<string, number>): ScenarioTimeline {
  const faults = scenario.faults ?? [];
  const endMs = Math.max(...sendOps.map((op) => op.timeMs), ...faults.map((f) => f.healAtMs ?? f.atMs), 1);
  const bucketMs = bucketWidthMs(endMs + 1);
  const length = Math.floor(endMs / bucketMs) + 1;
  const at = (timeMs: number) => Math.min(length - 1, Math.max(0, Math.floor(timeMs / bucketMs)));

  // Pass 1: where each attempt went, from its invoke or any of its answers. An answer without an
  // attempt number (older histories) belongs to the latest invoke of its seq before it.
  const attempts = new Map<string, Attempt>();
  const latestInvoke = new Map<string, string>();
  const opKeys = new Map<HistoryOp, string>();
  for (const op of sendOps) {
    const v = op.value as { seq?: unknown; attempt?: unknown };
    const seq = String(v.seq);
    let key: string;
    if (typeof v.attempt === 'number') key = `${seq}/${v.attempt}`;
    else if (op.type === 'invoke') latestInvoke.set(seq, (key = `${seq}/@${op.index}`));
    else key = latestInvoke.get(seq) ?? `${seq}/none`;
    opKeys.set(op, key);
    const attempt = attempts.get(key) ?? { partition: null };
    attempts.set(key, attempt);
    attempt.partition ??= placedOn(op);
  }

  // Pass 2: count each op in its bucket on that partition.
  const byPartition = new Map<string, PartitionSeries>();
  for (const op of sendOps) {
    const partition = placedOn(op) ?? attempts.get(opKeys.get(op) ?? '')?.partition ?? null;
    const series = seriesFor(byPartition, partition === null ? '?' : String(partition), length, leaders, true);
    const i = at(op.timeMs);
    if (op.type === 'invoke') series.sends[i]++;
    else if (op.type === 'ok') series.acks[i]++;
    else series.errors[i]++;
  }
  return {
    bucketMs, source: 'history', partitions: sortedSeries(byPartition),
    windows: faultWindows(scenario, length * bucketMs), heals: healMarks(scenario, ops),
  };
}

/** The partition an op names: the invoke's chosen one, the ack's, the failure's, or the last one tried. */
function placedOn(op: HistoryOp): number | null {
  const v = op.value as { partition?: unknown; tried?: unknown };
  if (typeof v.partition === 'number' && v.partition >= 0) return v.partition;
  if (Array.isArray(v.tried)) {
    const last = v.tried[v.tried.length - 1];
    if (typeof last === 'number' && last >= 0) return last;
  }
  return null;
}

function seriesFor(map: Map<string, PartitionSeries>, partition: string, length: number, leaders: Record<string, number>, fromHistory: boolean): PartitionSeries {
  let series = map.get(partition);
  if (!series) {
    const leader = leaders[partition];
    const title = partition !== '?'
      ? `partition ${partition}${leader !== undefined ? ` (leader k${leader} at start)` : ''}`
      : fromHistory ? UNKNOWN_PARTITION_TITLE : 'partition not recorded (per-second buckets from results.json; no history file to attribute sends)';
    series = { partition, title, sends: zeros(length), acks: zeros(length), errors: zeros(length) };
    map.set(partition, series);
  }
  return series;
}

/** Each fault's active span; a fault never healed runs to `endMs`. */
export function faultWindows(scenario: ScenarioResult, endMs: number): FaultWindow[] {
  return (scenario.faults ?? []).map((f) => ({
    fromMs: f.atMs,
    toMs: f.healAtMs ?? endMs,
    label: `${f.kind} ${f.target}${f.healAtMs === null ? ' (not healed)' : ''}`,
  }));
}

/** Heal times from the history's heal ops (else the faults' heal times), with results' time to first ack. */
function healMarks(scenario: ScenarioResult, ops: ReadonlyArray<HistoryOp | null> | null): HealMark[] {
  const fromHistory = (ops ?? []).filter((op) => op?.f === 'heal').map((op) => op!.timeMs);
  const times = fromHistory.length > 0 ? fromHistory : (scenario.faults ?? []).map((f) => f.healAtMs).filter((t): t is number => t !== null).sort((a, b) => a - b);
  const firstAcks = scenario.timeToFirstAckAfterHealMs ?? [];
  return times.map((atMs, i) => ({ atMs, firstAckAfterMs: typeof firstAcks[i] === 'number' ? firstAcks[i] : null }));
}

function sortedSeries(map: Map<string, PartitionSeries>): PartitionSeries[] {
  return [...map.values()].sort((a, b) => comparePartitions(a.partition, b.partition));
}

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

/** Numeric order, "?" (unknown) last. */
function comparePartitions(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? a.localeCompare(b) : 1) : -1;
  return x - y;
}
