import { HarnessError } from '../errors';
import { NEMESIS_PROCESS, type HistoryOp, type ObservedRecord } from '../history/history-types';
import type { Anomalies, CheckResult, Counts, ExpectationResult, ExpectationSpec } from './check-types';
import { COUNT_NAMES } from './check-types';
import { evaluateExpectations, parseExpectations } from './expectations';
import { longestNonDecreasing } from './longest-non-decreasing';
import { LatencySamples } from './latency-samples';
import { DIRECT_SEQ_LIMIT, SeqSlots, grownFloat64, grownInt32, grownUint32, grownUint8 } from './seq-slots';

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
 * - undeliveredDespiteHealthyTry: undelivered seqs with an attempt that was invoked while a fault
 *   was on and ended fail or info on a partition outside that fault's set at its invoke (the
 *   completion's `tried`, else its partition, else the invoke's). An info naming no partition
 *   (the harness's deadline) leaves the attempt to its late completion.
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
const HEALTHY_MISS = 32; // an attempt ended without an ack on a partition no fault touched (see undeliveredDespiteHealthyTry)

/**
 * Per-seq state as typed-array columns. The checker keeps two: one indexed by the seq itself (the
 * workloads' seqs 0, 1, 2, …: no lookup, no slot table), and one for any other seq (negative, huge,
 * fractional) indexed by a slot from SeqSlots. A seq never seen has all-zero cells, which count
 * nothing, so the seq-indexed columns need no "seen" mark.
 */
class SeqColumns {
  capacity = 0;
  flags = new Uint8Array(0);
  copies = new Uint32Array(0);
  /** Attempts invoked and not completed yet. */
  openAttempts = new Uint32Array(0);
  /** Attempts that ended info and were not superseded by a late completion. */
  infoAttempts = new Uint32Array(0);
  /** Invoke time of the oldest open attempt; meaningful only while openAttempts > 0. */
  openInvokeMs = new Float64Array(0);
  /** Further open attempts of an index, oldest first (rare: attempts are normally sequential). */
  readonly moreOpenInvokesMs = new Map<number, number[]>();

  ensure(index: number): void {
    if (index < this.capacity) return;
    const needed = index + 1;
    this.flags = grownUint8(this.flags, needed);
    this.copies = grownUint32(this.copies, needed);
    this.openAttempts = grownUint32(this.openAttempts, needed);
    this.infoAttempts = grownUint32(this.infoAttempts, needed);
    this.openInvokeMs = grownFloat64(this.openInvokeMs, needed);
    this.capacity = this.flags.length;
  }

  openAttempt(index: number, timeMs: number): void {
    if (this.openAttempts[index]++ === 0) {
      this.openInvokeMs[index] = timeMs;
      return;
    }
    const more = this.moreOpenInvokesMs.get(index);
    if (more === undefined) this.moreOpenInvokesMs.set(index, [timeMs]);
    else more.push(timeMs);
  }

  /** Closes the oldest open attempt (one must be open); returns its invoke time. */
  closeAttempt(index: number): number {
    const invokedMs = this.openInvokeMs[index];
    if (--this.openAttempts[index] > 0) {
      const more = this.moreOpenInvokesMs.get(index) as number[];
      this.openInvokeMs[index] = more.shift() as number;
      if (more.length === 0) this.moreOpenInvokesMs.delete(index);
    }
    return invokedMs;
  }
}

/**
 * Streaming accumulator behind check(): feed ops and observed records in any interleaving (ops in
 * history order), then call finish(). Memory is a few typed-array columns: ~21 bytes per seq, ~16
 * per ok, ~16 per observed record; latencies are counted per whole ms.
 */
export class HistoryChecker {
  /** Columns indexed by seq, for seqs in [0, DIRECT_SEQ_LIMIT). */
  private readonly bySeq = new SeqColumns();
  /** One past the largest seq the seq-indexed columns hold. */
  private seqEnd = 0;
  /** Columns for every other seq, by slot. */
  private readonly bySlot = new SeqColumns();
  private readonly otherSeqs = new SeqSlots();

  /** Per ok with a position: its seq's id (see idOf), partition and offset. */
  private ackIds = new Int32Array(0);
  private ackPartitions = new Int32Array(0);
  private ackOffsets = new Float64Array(0);
  private ackCount = 0;

  private readonly latencies = new LatencySamples();

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
  /** Open attempts (by id) with no partition asked while a fault was on: judged by their completion's partition. */
  private readonly exposureByCompletion = new Map<number, ReadonlySet<number>>();
  /** Open attempts (by id) invoked while a fault was on: the faulted set then, and the partition asked. */
  private readonly faultAtInvoke = new Map<number, { exposed: ReadonlySet<number>; partition: unknown }>();

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
    const id = this.idOf(seq);
    const columns = id >= 0 ? this.bySeq : this.bySlot;
    const at = id >= 0 ? id : ~id;
    const flags = columns.flags;
    flags[at] |= SENT;
    if (op.type === 'invoke') {
      flags[at] |= ATTEMPTED;
      this.invokes++;
      columns.openAttempt(at, op.timeMs);
      this.noteExposure(id, value.partition);
      if (this.exposedPartitions.size > 0) this.faultAtInvoke.set(id, { exposed: this.exposedPartitions, partition: value.partition });
      return;
    }
    let invokedMs = NaN;
    if (op.late === true && columns.infoAttempts[at] > 0) {
      columns.infoAttempts[at]--; // the client's own outcome replaces the harness's info
    } else if (columns.openAttempts[at] > 0) {
      invokedMs = columns.closeAttempt(at);
    }
    this.judgeExposure(id, value.partition, value.tried);
    if (this.faultAtInvoke.size > 0 && this.missedHealthy(id, op.type, value.partition, value.tried)) flags[at] |= HEALTHY_MISS;
    if (op.type === 'ok') {
      const partition = knownPosition(value.partition, op, 'partition');
      const offset = knownPosition(value.offset, op, 'offset');
      flags[at] |= ACKED;
      if (offset !== null && partition !== null) this.addAck(id, partition, offset);
      if (!Number.isNaN(invokedMs)) this.latencies.add(op.timeMs - invokedMs);
      if (this.firstOpenHeal < this.healTimesMs.length) this.ackHeals(op.timeMs);
    } else if (op.type === 'fail') {
      flags[at] |= ANY_FAIL;
    } else {
      columns.infoAttempts[at]++;
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

  private noteExposure(id: number, partition: unknown): void {
    if (this.exposedPartitions.size === 0) return;
    if (Number.isInteger(partition) && (partition as number) >= 0) {
      if (this.exposedPartitions.has(partition as number)) this.exposedSends++;
    } else {
      this.exposureByCompletion.set(id, this.exposedPartitions);
    }
  }

  /** `tried`: every partition the client placed the attempt on (it re-partitioned on retry). */
  private judgeExposure(id: number, partition: unknown, tried: unknown): void {
    if (this.exposureByCompletion.size === 0) return;
    const exposed = this.exposureByCompletion.get(id);
    if (exposed === undefined) return;
    // A completion that names no partition (the harness's deadline info) leaves it to a late one.
    if (!Array.isArray(tried) && !Number.isInteger(partition)) return;
    this.exposureByCompletion.delete(id);
    const placed = Array.isArray(tried) ? tried : [partition];
    if (placed.some((p) => Number.isInteger(p) && exposed.has(p as number))) this.exposedSends++;
  }

  /** Whether this completion ends, without an ack, an attempt placed outside the faulted set of its invoke. */
  private missedHealthy(id: number, type: string, partition: unknown, tried: unknown): boolean {
    const atInvoke = this.faultAtInvoke.get(id);
    if (atInvoke === undefined) return false;
    const placed = Array.isArray(tried) ? tried : Number.isInteger(partition) ? [partition] : Number.isInteger(atInvoke.partition) ? [atInvoke.partition] : [];
    if (placed.length === 0 && type === 'info') return false; // the harness's deadline: the late completion decides
    this.faultAtInvoke.delete(id);
    return type !== 'ok' && placed.some((p) => Number.isInteger(p) && (p as number) >= 0 && !atInvoke.exposed.has(p as number));
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
    const id = this.idOf(seq);
    if (id >= 0) this.bySeq.copies[id]++;
    else this.bySlot.copies[~id]++;
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
    clearMismatch(this.bySeq, this.seqEnd);
    clearMismatch(this.bySlot, this.otherSeqs.size);
    let lastPartition = NaN;
    let log: PartitionLog | undefined;
    for (let i = 0; i < this.ackCount; i++) {
      const id = this.ackIds[i];
      const seq = this.seqOf(id);
      const partition = this.ackPartitions[i];
      const offset = this.ackOffsets[i];
      if (partition !== lastPartition) {
        log = this.partitions.get(partition);
        lastPartition = partition;
      }
      if (log === undefined || !log.holds(offset, seq)) {
        if (id >= 0) this.bySeq.flags[id] |= MISMATCH;
        else this.bySlot.flags[~id] |= MISMATCH;
        mismatches.offer({ seq, partition, offset });
      }
    }

    const counts = zeroCounts();
    const anomalies = {
      lostAcked: new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber),
      undelivered: new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber),
      duplicates: new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber),
      despiteError: new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber),
      unexpected: new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber),
    };
    counts.unexpected = this.nullSeqRecords;
    counts.exposedSends = this.exposedSends;
    tallySeqs(this.bySeq, this.seqEnd, null, counts, anomalies);
    tallySeqs(this.bySlot, this.otherSeqs.size, this.otherSeqs, counts, anomalies);

    counts.resends = this.invokes - counts.attempted;

    const reordered = new SmallestK<number>(MAX_ANOMALIES_PER_KIND, byNumber);
    for (const log of this.partitions.values()) {
      const seqs = log.nonNullSeqs();
      const { length, kept } = longestNonDecreasing(seqs);
      counts.reordered += seqs.length - length;
      if (length === seqs.length) continue;
      for (let i = 0; i < seqs.length; i++) if (kept[i] === 0) reordered.offer(seqs[i]);
    }

    const anomalyLists: Anomalies = {
      lostAcked: anomalies.lostAcked.values(),
      undelivered: anomalies.undelivered.values(),
      duplicates: anomalies.duplicates.values(),
      reordered: reordered.values(),
      deliveredDespiteError: anomalies.despiteError.values(),
      offsetMismatch: mismatches.values(),
      unexpected: anomalies.unexpected.values(),
    };
    const results: ExpectationResult[] = evaluateExpectations(clauses, counts);
    const pass = this.sendOps > 0 && results.every((r) => r.pass);
    return {
      counts,
      latencyMs: this.latencies.summary(),
      timeToFirstAckAfterHealMs: this.healToAckMs.slice(),
      anomalies: anomalyLists,
      expectations: results,
      verdict: pass ? 'pass' : 'fail',
    };
  }

  /** A seq's id: the seq itself when the seq-indexed columns hold it, else ~slot (negative). */
  private idOf(seq: number): number {
    // `seq >>> 0 === seq` is a cheap "non-negative 32-bit integer" test.
    if (seq >>> 0 === seq && seq < DIRECT_SEQ_LIMIT) {
      if (seq >= this.seqEnd) {
        this.bySeq.ensure(seq);
        this.seqEnd = seq + 1;
      }
      return seq;
    }
    const slot = this.otherSeqs.slotOf(seq);
    this.bySlot.ensure(slot);
    return ~slot;
  }

  private seqOf(id: number): number {
    return id >= 0 ? id : this.otherSeqs.seqAt(~id);
  }

  private addAck(id: number, partition: number, offset: number): void {
    if (this.ackCount === this.ackIds.length) {
      const needed = this.ackCount + 1;
      this.ackIds = grownInt32(this.ackIds, needed);
      this.ackPartitions = grownInt32(this.ackPartitions, needed);
      this.ackOffsets = grownFloat64(this.ackOffsets, needed);
    }
    this.ackIds[this.ackCount] = id;
    this.ackPartitions[this.ackCount] = partition;
    this.ackOffsets[this.ackCount] = offset;
    this.ackCount++;
  }

  /** Every heal still waiting for its first ack gets this one. */
  private ackHeals(timeMs: number): void {
    for (; this.firstOpenHeal < this.healTimesMs.length; this.firstOpenHeal++) {
      this.healToAckMs[this.firstOpenHeal] = timeMs - this.healTimesMs[this.firstOpenHeal];
    }
  }
}

function clearMismatch(columns: SeqColumns, end: number): void {
  const flags = columns.flags;
  for (let i = 0; i < end; i++) flags[i] &= ~MISMATCH;
}

interface SeqAnomalies {
  lostAcked: SmallestK<number>;
  undelivered: SmallestK<number>;
  duplicates: SmallestK<number>;
  despiteError: SmallestK<number>;
  unexpected: SmallestK<number>;
}

/**
 * Adds the per-seq counts of indexes [0, end) of `columns` to `counts`; `slots` maps an index to
 * its seq (null: the index is the seq). Counts are summed in locals: this loop runs once per seq.
 */
function tallySeqs(columns: SeqColumns, end: number, slots: SeqSlots | null, counts: Counts, anomalies: SeqAnomalies): void {
  const { flags, copies: copiesOf, openAttempts, infoAttempts } = columns;
  let attemptedN = 0, ackedN = 0, failedN = 0, indeterminateN = 0, mismatchN = 0, observedN = 0;
  let duplicatesN = 0, despiteErrorN = 0, unexpectedN = 0, lostAckedN = 0, undeliveredN = 0, healthyMissN = 0;
  for (let i = 0; i < end; i++) {
    const f = flags[i];
    const copies = copiesOf[i];
    if (f === 0 && copies === 0) continue; // never seen: counts nothing
    const attempted = (f & ATTEMPTED) !== 0;
    const acked = (f & ACKED) !== 0;
    const sent = (f & SENT) !== 0;
    const unsettled = openAttempts[i] + infoAttempts[i] > 0;
    const indeterminate = sent && !acked && unsettled;
    const failed = sent && !acked && !unsettled && (f & ANY_FAIL) !== 0;
    if (attempted) attemptedN++;
    if (acked) ackedN++;
    if (failed) failedN++;
    if (indeterminate) indeterminateN++;
    if (f & MISMATCH) mismatchN++;
    if (copies > 0) {
      observedN++;
      if (copies > 1 && attempted) {
        duplicatesN += copies - 1;
        anomalies.duplicates.offer(slots === null ? i : slots.seqAt(i));
      }
      if (failed || indeterminate) {
        despiteErrorN++;
        anomalies.despiteError.offer(slots === null ? i : slots.seqAt(i));
      }
      if (!attempted) {
        unexpectedN += copies;
        anomalies.unexpected.offer(slots === null ? i : slots.seqAt(i));
      }
    } else {
      if (acked) {
        lostAckedN++;
        anomalies.lostAcked.offer(slots === null ? i : slots.seqAt(i));
      }
      if (attempted) {
        undeliveredN++;
        anomalies.undelivered.offer(slots === null ? i : slots.seqAt(i));
        if (f & HEALTHY_MISS) healthyMissN++;
      }
    }
  }
  counts.attempted += attemptedN;
  counts.acked += ackedN;
  counts.failed += failedN;
  counts.indeterminate += indeterminateN;
  counts.offsetMismatch += mismatchN;
  counts.observed += observedN;
  counts.duplicates += duplicatesN;
  counts.deliveredDespiteError += despiteErrorN;
  counts.unexpected += unexpectedN;
  counts.lostAcked += lostAckedN;
  counts.undelivered += undeliveredN;
  counts.undeliveredDespiteHealthyTry += healthyMissN;
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
