import { HarnessError } from '../errors';
import { NEMESIS_PROCESS, type HistoryOp, type ObservedRecord } from '../history/history-types';
import { actsOnLink, isProcessFault, type FaultKind } from '../faults/fault-spec';
import {
  CONSUMER_COUNT_NAMES,
  type ConsumerAnomalies,
  type ConsumerCheckResult,
  type ConsumerCounts,
  type ConsumerCountName,
  type ConsumerExpectationResult,
  type ConsumerExpectationSpec,
  type RecordRef,
} from './consumer-check-types';

/**
 * The consumer checker: a pure function of history + observed (DESIGN.md, "Consumer definitions";
 * after Jepsen's Kafka workload and kafkatest). Decisions where the definitions leave room:
 * - The records are the observed ones (the verifier's read of the whole topic after the run).
 * - "Processed" means a process ok. A process invoke without an ok (the consumer crashed while
 *   processing) is not processed.
 * - The group's committed position is the harness's read after the run (the `committed` op) where
 *   it names one, else the highest successful commit in the history.
 * - pollSkip / nonmonotonicPoll compare consecutive polled offsets of one partition within one
 *   assignment epoch of one consumer (`value.assignment`); the first poll of an assignment starts
 *   fresh (its position comes from the group). A skip counts the observed records jumped over,
 *   so offsets that hold no record (transaction markers) never count. A regression counts once per
 *   polled record at or below the highest offset polled before it (a redelivery after a failed
 *   commit is one, by the application's own seek).
 * - committedBeyondProcessed: per successful commit and partition, 1 when some observed record
 *   below the committed position had no process ok yet when the commit's ok was recorded.
 * - Stall: see ConsumerCheckResult.stallMsByPartition.
 */

/** How many offenders of each kind a result names. @default 50 */
export const MAX_CONSUMER_ANOMALIES = 50;

const CONSUMER_FUNCTIONS = new Set(['start', 'crash', 'assign', 'revoke', 'poll', 'process', 'commit', 'committed']);

/** Whether a history holds consumer ops (a consumer scenario's). */
export function hasConsumerOps(ops: Iterable<HistoryOp>): boolean {
  for (const op of ops) if (CONSUMER_FUNCTIONS.has(op.f)) return true;
  return false;
}

interface PartitionRecords {
  /** Offsets of the observed records, ascending. */
  offsets: number[];
  seqs: Array<number | null>;
  /** Index into offsets of the first record not processed yet (advanced as oks arrive). */
  firstUnprocessed: number;
}

/** A number; a numeric string is read as its number (kafkajs reports committed partitions and offsets as strings, and early histories kept them). */
const num = (value: unknown, where: string): number => {
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new HarnessError(`${where}: not a number (${JSON.stringify(value)})`);
  return value;
};

/** Records of `list` (ascending) strictly between `low` and `high`. */
function countBetween(list: number[], low: number, high: number): number {
  const lowerBound = (x: number) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return Math.max(0, lowerBound(high) - lowerBound(low + 1));
}

/** Length of [from, to] not covered by any of `windows`. */
function uncoveredMs(from: number, to: number, windows: Array<[number, number]>): number {
  let covered = 0;
  for (const [a, b] of windows) covered += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return Math.max(0, to - from - covered);
}

/** Records were waiting at `from` (fewer first processings by then than records) and none was processed before `to`. */
function heldThrough(from: number, to: number, progress: readonly number[], records: number): boolean {
  if (from >= to) return false;
  const doneBy = progress.filter((t) => t <= from).length;
  return doneBy < records && !progress.some((t) => t > from && t < to);
}

export function checkConsumers(ops: readonly HistoryOp[], observed: readonly ObservedRecord[]): ConsumerCheckResult {
  const partitions = new Map<number, PartitionRecords>();
  const processedCount = new Map<string, number>();
  for (const r of [...observed].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
    let p = partitions.get(r.partition);
    if (!p) partitions.set(r.partition, (p = { offsets: [], seqs: [], firstUnprocessed: 0 }));
    if (p.offsets.at(-1) === r.offset) continue; // the verifier reads an offset once
    p.offsets.push(r.offset);
    p.seqs.push(r.seq);
  }
  const key = (partition: number, offset: number) => `${partition}/${offset}`;
  const counts: ConsumerCounts = Object.fromEntries(CONSUMER_COUNT_NAMES.map((n) => [n, 0])) as unknown as ConsumerCounts;
  const anomalies: ConsumerAnomalies = { processedLost: [], processedTwice: [], unconsumed: [], pollSkip: [], nonmonotonicPoll: [] };
  const note = <K extends keyof ConsumerAnomalies>(kind: K, item: ConsumerAnomalies[K][number]) => {
    if (anomalies[kind].length < MAX_CONSUMER_ANOMALIES) (anomalies[kind] as Array<typeof item>).push(item);
  };
  const lastPolled = new Map<string, number>(); // consumer/assignment/partition → highest offset polled
  const lastCommitted = new Map<number, number>();
  let finalCommitted: Map<number, number> | undefined;
  const progressMs = new Map<number, number[]>(); // partition → times a record was first processed
  const firstAssignedMs = new Map<number, number>(); // partition → when a consumer first got it
  const openFaults = new Map<string, { from: number; windows: Array<[number, number]> }>(); // fault@target@link → since, and its list
  const processFaultWindows: Array<[number, number]> = [];
  const linkFaultWindows: Array<[number, number]> = []; // client-link faults, injected → healed
  let startMs: number | undefined;
  let endMs = 0;

  for (const op of ops) {
    endMs = Math.max(endMs, op.timeMs);
    const value = op.value as Record<string, unknown>;
    if (op.process === NEMESIS_PROCESS) {
      const kind = String(value.fault) as FaultKind;
      const onClientLink = actsOnLink(kind) && value.link !== 'replication';
      if (!isProcessFault(kind) && !onClientLink) continue;
      const fault = `${kind}@${String(value.target)}@${String(value.link)}`;
      if (op.f === 'inject') openFaults.set(fault, { from: op.timeMs, windows: onClientLink ? linkFaultWindows : processFaultWindows });
      const open = openFaults.get(fault);
      if (op.f === 'heal' && open) {
        open.windows.push([open.from, op.timeMs]);
        openFaults.delete(fault);
      }
      continue;
    }
    const where = `history op ${op.index} (${op.f} ${op.type})`;
    switch (op.f) {
      case 'start':
        startMs ??= op.timeMs;
        break;
      case 'crash':
        counts.crashes++;
        break;
      case 'revoke':
        counts.revocations = (counts.revocations ?? 0) + 1;
        break;
      case 'assign':
        counts.rebalances++;
        for (const p of (value.partitions ?? []) as number[]) if (!firstAssignedMs.has(p)) firstAssignedMs.set(p, op.timeMs);
        break;
      case 'poll': {
        if (op.type !== 'ok') break;
        const records = (value.records ?? []) as Array<{ partition: number; offset: number }>;
        for (const r of records) {
          const partition = num(r.partition, `${where}: records[].partition`);
          const offset = num(r.offset, `${where}: records[].offset`);
          const at = `${String(value.consumer)}/${String(value.assignment)}/${partition}`;
          const last = lastPolled.get(at);
          if (last !== undefined && offset <= last) {
            counts.nonmonotonicPoll++;
            note('nonmonotonicPoll', { consumer: String(value.consumer), partition, fromOffset: last, toOffset: offset });
          } else if (last !== undefined && offset > last + 1) {
            const skipped = countBetween(partitions.get(partition)?.offsets ?? [], last, offset);
            if (skipped > 0) {
              counts.pollSkip += skipped;
              note('pollSkip', { consumer: String(value.consumer), partition, fromOffset: last, toOffset: offset });
            }
          }
          lastPolled.set(at, Math.max(last ?? -1, offset));
        }
        break;
      }
      case 'process': {
        if (op.type !== 'ok') break;
        const partition = num(value.partition, `${where}: value.partition`);
        const offset = num(value.offset, `${where}: value.offset`);
        const k = key(partition, offset);
        const before = processedCount.get(k) ?? 0;
        processedCount.set(k, before + 1);
        const p = partitions.get(partition);
        if (before === 0 && p) {
          if (!progressMs.has(partition)) progressMs.set(partition, []);
          progressMs.get(partition)!.push(op.timeMs);
          while (p.firstUnprocessed < p.offsets.length && processedCount.has(key(partition, p.offsets[p.firstUnprocessed]))) p.firstUnprocessed++;
        }
        break;
      }
      case 'commit': {
        if (op.type === 'invoke') break;
        if (op.type !== 'ok') {
          counts.commitsFailed++;
          break;
        }
        counts.commits++;
        for (const position of (value.offsets ?? []) as Array<{ partition: number; offset: number }>) {
          const partition = num(position.partition, `${where}: offsets[].partition`);
          const offset = num(position.offset, `${where}: offsets[].offset`);
          lastCommitted.set(partition, Math.max(lastCommitted.get(partition) ?? 0, offset));
          const p = partitions.get(partition);
          if (p && p.firstUnprocessed < p.offsets.length && offset > p.offsets[p.firstUnprocessed]) counts.committedBeyondProcessed++;
        }
        break;
      }
      case 'committed': {
        finalCommitted = new Map();
        for (const position of (value.offsets ?? []) as Array<{ partition: number; offset: number | null }>) {
          if (position.offset !== null) finalCommitted.set(num(position.partition, `${where}: offsets[].partition`), num(position.offset, `${where}: offsets[].offset`));
        }
        break;
      }
    }
  }
  // A process fault never healed lasts to the end; a link cut never healed held nothing "until its heal".
  for (const { from, windows } of openFaults.values()) if (windows === processFaultWindows) windows.push([from, endMs]);

  const committed = new Map(lastCommitted);
  if (finalCommitted) for (const [p, offset] of finalCommitted) committed.set(p, offset);
  const stallMsByPartition: Record<string, number> = {};
  const t0 = startMs ?? 0;
  for (const [partition, p] of [...partitions].sort((a, b) => a[0] - b[0])) {
    for (let i = 0; i < p.offsets.length; i++) {
      const ref: RecordRef = { partition, offset: p.offsets[i], seq: p.seqs[i] };
      const times = processedCount.get(key(partition, ref.offset)) ?? 0;
      counts.records++;
      if (times > 0) counts.processed++;
      else {
        counts.unconsumed++;
        note('unconsumed', ref);
        if (ref.offset < (committed.get(partition) ?? 0)) {
          counts.processedLost++;
          note('processedLost', ref);
        }
      }
      if (times > 1) {
        counts.processedTwice += times - 1;
        note('processedTwice', ref);
      }
    }
    const progress = progressMs.get(partition) ?? [];
    const done = p.firstUnprocessed >= p.offsets.length;
    const marks = [firstAssignedMs.get(partition) ?? t0, ...progress, ...(done ? [] : [endMs])];
    let longest = 0;
    for (let i = 1; i < marks.length; i++) longest = Math.max(longest, uncoveredMs(marks[i - 1], marks[i], processFaultWindows));
    stallMsByPartition[String(partition)] = longest;
    counts.stallMsMax = Math.max(counts.stallMsMax, longest);
    const assigned = firstAssignedMs.get(partition);
    if (assigned !== undefined && linkFaultWindows.some(([from, to]) => heldThrough(Math.max(from, assigned), to, progress, p.offsets.length))) counts.heldByLinkFault!++;
  }
  return { counts, stallMsByPartition, committed: Object.fromEntries([...committed].map(([p, o]) => [String(p), o])), anomalies };
}

const COMPARE = { eq: (a: number, v: number) => a === v, lt: (a: number, v: number) => a < v, lte: (a: number, v: number) => a <= v, gt: (a: number, v: number) => a > v, gte: (a: number, v: number) => a >= v } as const;

/** Each clause of a consumer expectation spec against the counts; a bare number means eq. */
export function evaluateConsumerExpectations(spec: ConsumerExpectationSpec, counts: ConsumerCounts): ConsumerExpectationResult[] {
  const results: ConsumerExpectationResult[] = [];
  for (const [name, bound] of Object.entries(spec)) {
    const count = name as ConsumerCountName;
    if (!CONSUMER_COUNT_NAMES.includes(count)) throw new HarnessError(`consumer expectation ${name}: unknown count; known: ${CONSUMER_COUNT_NAMES.join(', ')}`);
    const clauses = typeof bound === 'number' ? [['eq', bound] as const] : (Object.entries(bound ?? {}) as Array<[keyof typeof COMPARE, number]>);
    const actual = counts[count] ?? 0; // a count results written before it existed lack (revocations)
    for (const [op, value] of clauses) results.push({ count, op, value, actual, pass: COMPARE[op](actual, value) });
  }
  return results;
}
