import { HarnessError } from '../errors';
import { NEMESIS_PROCESS, type HistoryOp, type ObservedRecord } from '../history/history-types';
import type { Anomalies, CheckResult, Counts, ExpectationResult, ExpectationSpec } from './check-types';
import { COUNT_NAMES } from './check-types';
import { evaluateExpectations, parseExpectations } from './expectations';
import { longestNonDecreasing } from './longest-non-decreasing';
import { summarizeLatencies } from './percentiles';
import { SeqSlots, grownFloat64, grownInt32, grownUint32, grownUint8 } from './seq-slots';

/**
 * The checker of DESIGN.md ("Checker definitions"): a pure function of history + observed.
 *
 * Decisions where the table leaves room:
 * - Sends are ops with f === 'send' from any process other than "nemesis".
 * - Every attempted seq is exactly one of acked, failed, indeterminate (they sum to attempted):
 *   acked = at least one ok (a later fail or info of another attempt does not undo a write);
 *   otherwise indeterminate when any attempt is still open or ended info (it may have landed);
 *   otherwise failed (every attempt ended fail: the client knew each was not written).
 * - A completion flagged `late` arrived after the harness settled its attempt as info (drain or
 *   application deadline): the client's own outcome replaces that info. A late ack counts as an
 *   ack, so a late-acked record that is missing is lostAcked.
 * - An ok whose partition or offset is null (or -1 in archived histories) is an ack with no place
 *   to compare: acked, but no offsetMismatch claim.
 * - exposedSends: attempts placed on a partition led by a faulted broker while its fault was on
 *   (the inject op's `partitions`): the asked partition, else the ones the completion names
 *   (`tried` when the client re-partitioned on retry, else `partition`). It
 *   proves the fault touched the producer. resends: invokes beyond each seq's first.
 * - reordered implements the table's definition literally: per partition in offset order, records
 *   − longest non-decreasing subsequence of seqs. One swapped pair, e.g. [0, 2, 1, 3], therefore
 *   counts 1 (take out either record of the pair), NOT 2 as DESIGN.md's example sentence says; an
 *   adjacent duplicate [0, 1, 1, 2] counts 0. Records with a null seq are left out of this count.
 * - offsetMismatch counts distinct seqs with at least one ok whose (partition, offset) does not hold
 *   a record of that seq in observed.
 * - unexpected counts records (not seqs): null seq, or a seq no send ever invoked. Copies of a
 *   never-invoked seq are unexpected only, not duplicates as well.
 * - Latency pairs each completion with the oldest open invoke of the same seq (attempts of a seq
 *   are sequential) and samples ok time − invoke time.
 * - An observed record repeated at the same (partition, offset) is counted as it stands (as a
 *   duplicate); the verifier reads each offset once, so a repeat means a verifier bug to surface.
 */

/** How many offenders of each kind a result names, smallest seqs first. @default 50 */
export const MAX_ANOMALIES_PER_KIND = 50;

// Per-seq flag bits (one byte per seq).
const ATTEMPTED = 1;
const ACKED = 2;
const SENT = 4; // some send op (invoke or completion) named the seq
const MISMATCH = 8;
const ANY_FAIL = 16; // some attempt ended fail

/**
 * Streaming accumulator behind check(): feed ops and observed records in any interleaving (ops in
 * history order), then call finish(). Memory is a few typed-array columns: ~25 bytes per seq, ~16
 * per ok, ~16 per observed record, 8 per latency sample.
 */
export class HistoryChecker {
  private readonly slots = new SeqSlots();
  private capacity = 0;
  private flags = new Uint8Array(0);
  private copies = new Uint32Array(0);
  /** Attempts invoked and not completed yet, per seq. */
  private openAttempts = new Uint32Array(0);
  /** Attempts that ended info and were not superseded by a late completion, per seq. */
  private infoAttempts = new Uint32Array(0);
  /** Invoke time of the oldest open attempt per seq; NaN when none is open. */
  private openInvokeMs = new Float64Array(0);
  /** Further open attempts of a seq, oldest first (rare: attempts are normally sequential). */
  private readonly moreOpenInvokesMs = new Map<number, number[]>();

  private ackSlots = new Int32Array(0);
  private ackPartitions = new Int32Array(0);
  private ackOffsets = new Float64Array(0);
  private ackCount = 0;

  private latencies = new Float64Array(0);
  private latencyCount = 0;

  private readonly healTimesMs: number[] = [];
  private readonly healToAckMs: Array<number | null> = [];
  /** Heals before this index already have their first ack. */
  private firstOpenHeal = 0;

  private readonly partitions = new Map<number, PartitionLog>();
  private lastPartition = NaN;
  private lastLog: PartitionLog | undefined;
  private nullSeqRecords = 0;
  private sendOps = 0;
  private invokes = 0;
  private exposedSends = 0;
  /** Faults injected and not healed yet, oldest first, with the partitions their broker led. */
  private readonly activeFaults: Array<{ fault: unknown; target: unknown; partitions: number[] }> = [];
  private exposedPartitions: ReadonlySet<number> = new Set();
  /** Open attempts with no partition asked while a fault was on: judged by their completion's partition. */
  private readonly exposureByCompletion = new Map<number, ReadonlySet<number>>();

  /** Adds one history op. Throws HarnessError on a send op without a usable seq / position. */
  addOp(op: HistoryOp): void {
    if (op.process === NEMESIS_PROCESS || op.f === 'inject' || op.f === 'heal') return this.addFaultOp(op);
    if (op.f !== 'send') return;
    const value = op.value as Record<string, unknown>;
    const seq = value.seq;
    if (typeof seq !== 'number' || !Number.isFinite(seq)) {
      throw new HarnessError(`history op ${op.index}: send ${op.type} without a numeric value.seq`);
    }
    this.sendOps++;
    const slot = this.slotOf(seq);
    const flags = this.flags;
    flags[slot] |= SENT;
    if (op.type === 'invoke') {
      flags[slot] |= ATTEMPTED;
      this.invokes++;
      this.openAttempts[slot]++;
      this.openAttempt(slot, op.timeMs);
      this.noteExposure(slot, value.partition);
      return;
    }
    let invokedMs = NaN;
    if (op.late === true && this.infoAttempts[slot] > 0) {
      this.infoAttempts[slot]--; // the client's own outcome replaces the harness's info
    } else if (this.openAttempts[slot] > 0) {
      this.openAttempts[slot]--;
      invokedMs = this.closeAttempt(slot);
    }
    this.judgeExposure(slot, value.partition, value.tried);
    if (op.type === 'ok') {
      const partition = knownPosition(value.partition, op, 'partition');
      const offset = knownPosition(value.offset, op, 'offset');
      flags[slot] |= ACKED;
      if (offset !== null && partition !== null) this.addAck(slot, partition, offset);
      if (!Number.isNaN(invokedMs)) this.addLatency(op.timeMs - invokedMs);
      this.ackHeals(op.timeMs);
    } else if (op.type === 'fail') {
      flags[slot] |= ANY_FAIL;
    } else {
      this.infoAttempts[slot]++;
    }
  }

  /** Inject ops name the partitions their broker led (`partitions`); a heal ends the oldest matching inject. */
  private addFaultOp(op: HistoryOp): void {
    const value = op.value as { fault?: unknown; target?: unknown; partitions?: unknown };
    if (op.f === 'inject') {
      const partitions = Array.isArray(value.partitions) ? (value.partitions.filter(Number.isInteger) as number[]) : [];
      this.activeFaults.push({ fault: value.fault, target: value.target, partitions });
    } else if (op.f === 'heal') {
      this.healTimesMs.push(op.timeMs);
      this.healToAckMs.push(null);
      const ended = this.activeFaults.findIndex((a) => a.fault === value.fault && a.target === value.target);
      if (ended >= 0) this.activeFaults.splice(ended, 1);
    } else {
      return;
    }
    this.exposedPartitions = new Set(this.activeFaults.flatMap((a) => a.partitions));
  }

  private noteExposure(slot: number, partition: unknown): void {
    if (this.exposedPartitions.size === 0) return;
    if (Number.isInteger(partition) && (partition as number) >= 0) {
      if (this.exposedPartitions.has(partition as number)) this.exposedSends++;
    } else {
      this.exposureByCompletion.set(slot, this.exposedPartitions);
    }
  }

  /** `tried`: every partition the client placed the attempt on (it re-partitioned on retry). */
  private judgeExposure(slot: number, partition: unknown, tried: unknown): void {
    if (this.exposureByCompletion.size === 0) return;
    const exposed = this.exposureByCompletion.get(slot);
    if (exposed === undefined) return;
    // A completion that names no partition (the harness's deadline info) leaves it to a late one.
    if (!Array.isArray(tried) && !Number.isInteger(partition)) return;
    this.exposureByCompletion.delete(slot);
    const placed = Array.isArray(tried) ? tried : [partition];
    if (placed.some((p) => Number.isInteger(p) && exposed.has(p as number))) this.exposedSends++;
  }

  /** Adds one record read back from the topic. */
  addObserved(record: ObservedRecord): void {
    const { partition, offset, seq } = record;
    if (!Number.isInteger(partition) || !Number.isFinite(offset)) {
      throw new HarnessError(`observed record without integer partition and offset: ${JSON.stringify(record)}`);
    }
    let log = this.lastLog;
    if (partition !== this.lastPartition || log === undefined) {
      log = this.partitions.get(partition);
      if (log === undefined) {
        log = new PartitionLog();
        this.partitions.set(partition, log);
      }
      this.lastPartition = partition;
      this.lastLog = log;
    }
    if (seq === null || seq === undefined) {
      this.nullSeqRecords++;
      log.push(offset, NaN);
      return;
    }
    if (typeof seq !== 'number' || !Number.isFinite(seq)) {
      throw new HarnessError(`observed record with a non-numeric seq: ${JSON.stringify(record)}`);
    }
    log.push(offset, seq);
    const slot = this.slotOf(seq); // may grow (replace) this.copies, so read it afterwards
    this.copies[slot]++;
  }

  /**
   * Computes every count, latency, anomaly and the verdict. Never throws: an internal error gives
   * verdict 'unknown' with `error` set. Verdict is pass only when the history holds at least one
   * send and every expectation holds (none given counts as holding).
   */
  finish(expectations?: ExpectationSpec): CheckResult {
    try {
      return this.compute(expectations);
    } catch (error) {
      return unknownResult(error);
    }
  }

  private compute(spec: ExpectationSpec | undefined): CheckResult {
    const clauses = parseExpectations(spec);
    for (const log of this.partitions.values()) log.sortByOffset();

    const mismatches = new SmallestK<{ seq: number; partition: number; offset: number }>(
      MAX_ANOMALIES_PER_KIND,
      (a, b) => a.seq - b.seq || a.partition - b.partition || a.offset - b.offset,
    );
    const flags = this.flags;
    const seqCount = this.slots.size;
    for (let slot = 0; slot < seqCount; slot++) flags[slot] &= ~MISMATCH;
    for (let i = 0; i < this.ackCount; i++) {
      const slot = this.ackSlots[i];
      const seq = this.slots.seqAt(slot);
      const partition = this.ackPartitions[i];
      const offset = this.ackOffsets[i];
      const log = this.partitions.get(partition);
      if (log === undefined || !log.holds(offset, seq)) {
        flags[slot] |= MISMATCH;
        mismatches.offer({ seq, partition, offset });
      }
    }

    const counts = zeroCounts();
    const lostAcked = new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber);
    const undelivered = new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber);
    const duplicates = new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber);
    const despiteError = new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber);
    const unexpected = new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber);
    counts.unexpected = this.nullSeqRecords;
    counts.exposedSends = this.exposedSends;
    for (let slot = 0; slot < seqCount; slot++) {
      const f = flags[slot];
      const copies = this.copies[slot];
      const seq = this.slots.seqAt(slot);
      const attempted = (f & ATTEMPTED) !== 0;
      const acked = (f & ACKED) !== 0;
      const sent = (f & SENT) !== 0;
      const unsettled = this.openAttempts[slot] + this.infoAttempts[slot] > 0;
      const indeterminate = sent && !acked && unsettled;
      const failed = sent && !acked && !unsettled && (f & ANY_FAIL) !== 0;
      if (attempted) counts.attempted++;
      if (acked) counts.acked++;
      if (failed) counts.failed++;
      if (indeterminate) counts.indeterminate++;
      if (f & MISMATCH) counts.offsetMismatch++;
      if (copies > 0) {
        counts.observed++;
        if (copies > 1 && attempted) {
          counts.duplicates += copies - 1;
          duplicates.offer(seq);
        }
        if (failed || indeterminate) {
          counts.deliveredDespiteError++;
          despiteError.offer(seq);
        }
        if (!attempted) {
          counts.unexpected += copies;
          unexpected.offer(seq);
        }
      } else {
        if (acked) {
          counts.lostAcked++;
          lostAcked.offer(seq);
        }
        if (attempted) {
          counts.undelivered++;
          undelivered.offer(seq);
        }
      }
    }

    counts.resends = this.invokes - counts.attempted;

    const reordered = new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber);
    for (const log of this.partitions.values()) {
      const seqs = log.nonNullSeqs();
      const { length, kept } = longestNonDecreasing(seqs);
      counts.reordered += seqs.length - length;
      if (length === seqs.length) continue;
      for (let i = 0; i < seqs.length; i++) if (kept[i] === 0) reordered.offer(seqs[i]);
    }

    const anomalies: Anomalies = {
      lostAcked: lostAcked.values(),
      undelivered: undelivered.values(),
      duplicates: duplicates.values(),
      reordered: reordered.values(),
      deliveredDespiteError: despiteError.values(),
      offsetMismatch: mismatches.values(),
      unexpected: unexpected.values(),
    };
    const results: ExpectationResult[] = evaluateExpectations(clauses, counts);
    const pass = this.sendOps > 0 && results.every((r) => r.pass);
    return {
      counts,
      latencyMs: summarizeLatencies(this.latencies.subarray(0, this.latencyCount)),
      timeToFirstAckAfterHealMs: this.healToAckMs.slice(),
      anomalies,
      expectations: results,
      verdict: pass ? 'pass' : 'fail',
    };
  }

  private slotOf(seq: number): number {
    const slot = this.slots.slotOf(seq);
    if (slot >= this.capacity) this.growSeqColumns(slot + 1);
    return slot;
  }

  private growSeqColumns(needed: number): void {
    this.flags = grownUint8(this.flags, needed);
    this.copies = grownUint32(this.copies, needed);
    this.openAttempts = grownUint32(this.openAttempts, needed);
    this.infoAttempts = grownUint32(this.infoAttempts, needed);
    this.openInvokeMs = grownFloat64(this.openInvokeMs, needed, NaN);
    this.capacity = this.flags.length;
  }

  private openAttempt(slot: number, timeMs: number): void {
    if (Number.isNaN(this.openInvokeMs[slot])) {
      this.openInvokeMs[slot] = timeMs;
      return;
    }
    const more = this.moreOpenInvokesMs.get(slot);
    if (more === undefined) this.moreOpenInvokesMs.set(slot, [timeMs]);
    else more.push(timeMs);
  }

  /** Closes the oldest open attempt of the seq; returns its invoke time, NaN when none was open. */
  private closeAttempt(slot: number): number {
    const invokedMs = this.openInvokeMs[slot];
    if (Number.isNaN(invokedMs)) return NaN;
    let next = NaN;
    if (this.moreOpenInvokesMs.size > 0) {
      const more = this.moreOpenInvokesMs.get(slot);
      if (more !== undefined) {
        next = more.shift() as number;
        if (more.length === 0) this.moreOpenInvokesMs.delete(slot);
      }
    }
    this.openInvokeMs[slot] = next;
    return invokedMs;
  }

  private addAck(slot: number, partition: number, offset: number): void {
    if (this.ackCount === this.ackSlots.length) {
      const needed = this.ackCount + 1;
      this.ackSlots = grownInt32(this.ackSlots, needed);
      this.ackPartitions = grownInt32(this.ackPartitions, needed);
      this.ackOffsets = grownFloat64(this.ackOffsets, needed);
    }
    this.ackSlots[this.ackCount] = slot;
    this.ackPartitions[this.ackCount] = partition;
    this.ackOffsets[this.ackCount] = offset;
    this.ackCount++;
  }

  private addLatency(ms: number): void {
    if (this.latencyCount === this.latencies.length) {
      this.latencies = grownFloat64(this.latencies, this.latencyCount + 1);
    }
    this.latencies[this.latencyCount++] = ms;
  }

  /** Every heal still waiting for its first ack gets this one. */
  private ackHeals(timeMs: number): void {
    for (; this.firstOpenHeal < this.healTimesMs.length; this.firstOpenHeal++) {
      this.healToAckMs[this.firstOpenHeal] = timeMs - this.healTimesMs[this.firstOpenHeal];
    }
  }
}

/**
 * Checks a history against what was read back; see HistoryChecker for the definitions chosen.
 * Pure and total: never throws (an error in the input or the checker gives verdict 'unknown').
 */
export function check(
  history: Iterable<HistoryOp>,
  observed: Iterable<ObservedRecord>,
  expectations?: ExpectationSpec,
): CheckResult {
  try {
    const checker = new HistoryChecker();
    for (const op of history) checker.addOp(op);
    for (const record of observed) checker.addObserved(record);
    return checker.finish(expectations);
  } catch (error) {
    return unknownResult(error);
  }
}

/** The result of a checker that could not decide: zero counts, verdict 'unknown', the error. */
export function unknownResult(error: unknown): CheckResult {
  return {
    counts: zeroCounts(),
    latencyMs: { p50: 0, p95: 0, p99: 0, max: 0 },
    timeToFirstAckAfterHealMs: [],
    anomalies: {
      lostAcked: [], undelivered: [], duplicates: [], reordered: [],
      deliveredDespiteError: [], offsetMismatch: [], unexpected: [],
    },
    expectations: [],
    verdict: 'unknown',
    error: error instanceof Error ? error.message : String(error),
  };
}

function zeroCounts(): Counts {
  const counts = {} as Counts;
  for (const name of COUNT_NAMES) counts[name] = 0;
  return counts;
}

const byNumber = (a: number, b: number): number => a - b;

/** A position of an ok: a non-negative integer, or null for unknown (archived histories: -1). */
function knownPosition(value: unknown, op: HistoryOp, field: 'partition' | 'offset'): number | null {
  if (value === null || value === undefined || value === -1) return null;
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new HarnessError(`history op ${op.index}: send ok with value.${field} ${JSON.stringify(value)}; expected a non-negative integer or null`);
  }
  return value as number;
}

/** One partition's observed records as two columns; sorted by offset before use. */
class PartitionLog {
  private offsets = new Float64Array(0);
  /** NaN stands for a record whose seq is null. */
  private seqs = new Float64Array(0);
  private length = 0;
  private hasNullSeq = false;

  push(offset: number, seq: number): void {
    if (this.length === this.offsets.length) {
      this.offsets = grownFloat64(this.offsets, this.length + 1);
      this.seqs = grownFloat64(this.seqs, this.length + 1);
    }
    this.offsets[this.length] = offset;
    this.seqs[this.length] = seq;
    if (Number.isNaN(seq)) this.hasNullSeq = true;
    this.length++;
  }

  /** The verifier writes records in offset order, so this is normally one linear scan. */
  sortByOffset(): void {
    const n = this.length;
    const offsets = this.offsets;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) sorted = offsets[i - 1] <= offsets[i];
    if (sorted) return;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Ties keep arrival order so the result does not depend on the sort's stability.
    order.sort((a, b) => offsets[a] - offsets[b] || a - b);
    const newOffsets = new Float64Array(n);
    const newSeqs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      newOffsets[i] = offsets[order[i]];
      newSeqs[i] = this.seqs[order[i]];
    }
    this.offsets = newOffsets;
    this.seqs = newSeqs;
  }

  /** Whether a record of `seq` sits at `offset` (requires sortByOffset()). */
  holds(offset: number, seq: number): boolean {
    if (this.length === 0) return false;
    // Offsets read back are usually contiguous from the first one: try that slot before searching.
    const guess = offset - this.offsets[0];
    if (guess >= 0 && guess < this.length && this.offsets[guess] === offset && this.seqs[guess] === seq) return true;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.length && this.offsets[i] === offset; i++) {
      if (this.seqs[i] === seq) return true;
    }
    return false;
  }

  /** Seqs in offset order, null-seq records left out. */
  nonNullSeqs(): Float64Array {
    const all = this.seqs.subarray(0, this.length);
    return this.hasNullSeq ? all.filter((s) => !Number.isNaN(s)) : all;
  }
}

/** Keeps the k smallest distinct items offered, so anomaly lists stay bounded on huge histories. */
class SmallestK<T> {
  private readonly items: T[] = [];
  constructor(private readonly k: number, private readonly compare: (a: T, b: T) => number) {}

  offer(item: T): void {
    const items = this.items;
    if (items.length === this.k && this.compare(item, items[items.length - 1]) >= 0) return;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(items[mid], item) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < items.length && this.compare(items[lo], item) === 0) return;
    items.splice(lo, 0, item);
    if (items.length > this.k) items.pop();
  }

  values(): T[] {
    return this.items.slice();
  }
}
