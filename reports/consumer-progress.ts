import type { HistoryOp } from '../harness/history/history-types';
import { bucketWidthMs, type FaultWindow } from './timeline-charts';

/**
 * A consumer scenario's progress over time, per partition, computed from its history alone
 * (send / poll / process / commit / assign / revoke / crash ops): what the report draws next to
 * the fault windows. Pure: same ops, same result.
 *
 * - waiting: records known to be in the partition (an acked send, a polled or processed record)
 *   that no consumer had finished processing yet: the application's lag.
 * - uncommitted: the partition's end (highest known offset + 1) minus the group's committed
 *   position (the highest successful commit so far): the group's lag as Kafka tools show it.
 * - stalls: spans of at least STALL_SPAN_MIN_MS with records waiting and no record processed for
 *   the first time, from the partition's first assignment on. They are drawn as found; the
 *   checker's stallMsByPartition (in results.json) leaves out broker process faults and stays the
 *   number the report quotes.
 */

/** A pause shorter than this is normal batching, not a stall worth a mark. @default 1000 */
export const STALL_SPAN_MIN_MS = 1000;
/** Rebalance and crash marks drawn per scenario; more would hide the lines. @default 24 */
export const MAX_CONSUMER_MARKS = 24;

export interface PartitionProgress {
  partition: string;
  /** Value at the end of each bucket. */
  waiting: number[];
  uncommitted: number[];
  /** [fromMs, toMs] spans with records waiting and no progress. */
  stalls: Array<[number, number]>;
  /** The longest of `stalls`, ms (0 when none). */
  longestStallMs: number;
}

export interface ConsumerProgress {
  bucketMs: number;
  partitions: PartitionProgress[];
  windows: FaultWindow[];
  /** [atMs, label]: assignments, revocations and crashes, in time order. */
  marks: Array<[number, string]>;
  /** Marks left out beyond MAX_CONSUMER_MARKS. */
  marksLeftOut: number;
}

interface Partition {
  known: Set<number>;
  processed: Set<number>;
  /** Highest known offset + 1. */
  end: number;
  committed: number | null;
  /** Times a record of it was processed for the first time. */
  progressMs: number[];
  firstAssignedMs: number | null;
}

const CONSUMER_FUNCTIONS = new Set(['start', 'crash', 'leave', 'assign', 'revoke', 'poll', 'process', 'commit']);

/** A non-negative integer, or a numeric string as one (kafkajs reports offsets as strings); else null. */
function int(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
}

/** Null when the history holds no consumer op (not a consumer scenario, or an empty history). */
export function consumerProgress(ops: ReadonlyArray<HistoryOp | null>, windows: readonly FaultWindow[]): ConsumerProgress | null {
  const list = ops.filter((op): op is HistoryOp => op !== null && Number.isFinite(op.timeMs) && op.value !== null && typeof op.value === 'object');
  if (!list.some((op) => CONSUMER_FUNCTIONS.has(op.f))) return null;
  const endMs = list.reduce((max, op) => Math.max(max, op.timeMs), Math.max(1, ...windows.map((w) => w.toMs)));
  const bucketMs = bucketWidthMs(endMs + 1);
  const length = Math.floor(endMs / bucketMs) + 1;

  const partitions = new Map<number, Partition>();
  const series = new Map<number, { waiting: number[]; uncommitted: number[] }>();
  const of = (p: number) => {
    let part = partitions.get(p);
    if (!part) {
      partitions.set(p, (part = { known: new Set(), processed: new Set(), end: 0, committed: null, progressMs: [], firstAssignedMs: null }));
      series.set(p, { waiting: new Array<number>(length).fill(0), uncommitted: new Array<number>(length).fill(0) });
    }
    return part;
  };
  const know = (p: number, offset: number) => {
    const part = of(p);
    part.known.add(offset);
    part.end = Math.max(part.end, offset + 1);
  };
  const marks: Array<[number, string]> = [];
  let firstStartMs: number | null = null;

  // Ops in time order (the history's own order breaks ties); each bucket is sampled once every op
  // before its end has been applied.
  const sorted = list.map((op, i) => [op, i] as const).sort((a, b) => a[0].timeMs - b[0].timeMs || a[1] - b[1]).map(([op]) => op);
  let bucket = 0;
  const sampleUntil = (timeMs: number) => {
    while (bucket < length && (bucket + 1) * bucketMs <= timeMs) {
      for (const [p, part] of partitions) {
        const s = series.get(p)!;
        s.waiting[bucket] = part.known.size - part.processed.size;
        s.uncommitted[bucket] = Math.max(0, part.end - (part.committed ?? 0));
      }
      bucket++;
    }
  };
  for (const op of sorted) {
    sampleUntil(op.timeMs);
    const v = op.value as Record<string, unknown>;
    const who = typeof v.consumer === 'string' ? v.consumer : op.process;
    switch (op.f as string) {
      case 'send': {
        const p = int(v.partition);
        const offset = int(v.offset);
        if (op.type === 'ok' && p !== null && offset !== null) know(p, offset);
        break;
      }
      case 'start':
        firstStartMs ??= op.timeMs;
        break;
      case 'assign':
      case 'revoke': {
        const ps = Array.isArray(v.partitions) ? v.partitions.map(int).filter((p): p is number => p !== null) : [];
        if (op.f === 'assign') for (const p of ps) of(p).firstAssignedMs ??= op.timeMs;
        marks.push([op.timeMs, `${who} ${op.f === 'assign' ? 'assigned' : 'revoked'} ${ps.length ? ps.map((p) => `p${p}`).join(',') : 'nothing'}`]);
        break;
      }
      case 'crash':
        marks.push([op.timeMs, `${who} killed${typeof v.signal === 'string' ? ` (${v.signal})` : ''}`]);
        break;
      case 'leave': // a member leaving the group on purpose (the consumer room's second-member rows)
        marks.push([op.timeMs, `${who} left the group`]);
        break;
      case 'poll': {
        if (op.type !== 'ok' || !Array.isArray(v.records)) break;
        for (const r of v.records as Array<Record<string, unknown>>) {
          const p = int(r?.partition);
          const offset = int(r?.offset);
          if (p !== null && offset !== null) know(p, offset);
        }
        break;
      }
      case 'process': {
        const p = int(v.partition);
        const offset = int(v.offset);
        if (op.type !== 'ok' || p === null || offset === null) break;
        know(p, offset);
        const part = of(p);
        if (!part.processed.has(offset)) {
          part.processed.add(offset);
          part.progressMs.push(op.timeMs);
        }
        break;
      }
      case 'commit': {
        if (op.type !== 'ok' || !Array.isArray(v.offsets)) break;
        for (const position of v.offsets as Array<Record<string, unknown>>) {
          const p = int(position?.partition);
          const offset = int(position?.offset);
          if (p === null || offset === null) continue;
          const part = of(p);
          part.committed = Math.max(part.committed ?? 0, offset);
        }
        break;
      }
    }
  }
  sampleUntil(Infinity);

  const result: PartitionProgress[] = [...partitions].sort((a, b) => a[0] - b[0]).map(([p, part]) => {
    const stalls = stallSpans(part, firstStartMs, endMs);
    return { partition: String(p), ...series.get(p)!, stalls, longestStallMs: Math.max(0, ...stalls.map(([a, b]) => b - a)) };
  });
  marks.sort((a, b) => a[0] - b[0]);
  return {
    bucketMs, partitions: result, windows: [...windows],
    marks: marks.slice(0, MAX_CONSUMER_MARKS), marksLeftOut: Math.max(0, marks.length - MAX_CONSUMER_MARKS),
  };
}

/**
 * Gaps between progress marks (first assignment, then each first processing), and from the last
 * one to the end when records were still waiting, as long as STALL_SPAN_MIN_MS or longer.
 */
function stallSpans(part: Partition, firstStartMs: number | null, endMs: number): Array<[number, number]> {
  const from = part.firstAssignedMs ?? firstStartMs;
  if (from === null) return [];
  const progress = part.progressMs.filter((t) => t >= from);
  const waitingAtEnd = part.known.size > part.processed.size;
  const marks = [from, ...progress, ...(waitingAtEnd ? [endMs] : [])];
  const spans: Array<[number, number]> = [];
  for (let i = 1; i < marks.length; i++) if (marks[i] - marks[i - 1] >= STALL_SPAN_MIN_MS) spans.push([marks[i - 1], marks[i]]);
  return spans;
}
