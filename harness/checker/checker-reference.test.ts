import fc from 'fast-check';
import { NEMESIS_PROCESS, type HistoryOp, type ObservedRecord } from '../history/history-types';
import type { CheckResult, Counts, ExpectationSpec } from './check-types';
import { COUNT_NAMES } from './check-types';
import { check, MAX_ANOMALIES_PER_KIND, unknownResult } from './checker';
import { evaluateExpectations, parseExpectations } from './expectations';
import { longestNonDecreasing } from './longest-non-decreasing';
import { nearestRank } from './percentiles';

// The checker keeps its state in typed-array columns for speed (10M records in a few seconds); this
// oracle keeps it in one plain object per seq, following the definitions in checker.ts's header
// comment one by one. Every field of the two results must agree on random histories, so a speed
// change to the checker cannot change a result unnoticed. Which records `reordered` names depends
// on which longest subsequence is kept: the oracle takes it from longestNonDecreasing (tested
// against an O(n²) count in its own file) and counts with its own O(n²) loop.

interface SeqState {
  attempted: boolean;
  sent: boolean;
  acked: boolean;
  anyFail: boolean;
  mismatch: boolean;
  /** An attempt invoked under a fault ended without an ack on a partition outside its faulted set. */
  healthyMiss: boolean;
  copies: number;
  /** Invoke times of open attempts, oldest first. */
  open: number[];
  info: number;
}

function position(value: unknown, op: HistoryOp, field: string): number | null {
  if (value === null || value === undefined || value === -1) return null;
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new Error(`history op ${op.index}: send ok with value.${field} ${JSON.stringify(value)}; expected a non-negative integer or null`);
  }
  return value as number;
}

function smallest<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  const sorted = items.slice().sort(compare);
  return sorted.filter((x, i) => i === 0 || compare(sorted[i - 1], x) !== 0).slice(0, MAX_ANOMALIES_PER_KIND);
}

function referenceCheck(history: HistoryOp[], observed: ObservedRecord[], spec?: ExpectationSpec): CheckResult {
  try {
    const seqs = new Map<number, SeqState>();
    const state = (seq: number): SeqState => {
      let s = seqs.get(seq);
      if (!s) seqs.set(seq, (s = { attempted: false, sent: false, acked: false, anyFail: false, mismatch: false, healthyMiss: false, copies: 0, open: [], info: 0 }));
      return s;
    };
    const acks: Array<{ seq: number; partition: number; offset: number }> = [];
    const latencies: number[] = [];
    const heals: Array<{ atMs: number; toAckMs: number | null }> = [];
    const faults: Array<{ fault: unknown; target: unknown; partitions: number[] }> = [];
    let exposed = new Set<number>();
    const exposureBySeq = new Map<number, Set<number>>();
    const faultAtInvoke = new Map<number, { exposed: Set<number>; partition: unknown }>();
    let sendOps = 0, invokes = 0, exposedSends = 0, nullSeqRecords = 0;

    for (const op of history) {
      if (op.process === NEMESIS_PROCESS || op.f === 'inject' || op.f === 'heal') {
        const v = op.value as { fault?: unknown; target?: unknown; partitions?: unknown };
        if (op.f === 'inject') {
          faults.push({ fault: v.fault, target: v.target, partitions: Array.isArray(v.partitions) ? v.partitions.filter(Number.isInteger) : [] });
        } else if (op.f === 'heal') {
          heals.push({ atMs: op.timeMs, toAckMs: null });
          const ended = faults.findIndex((a) => a.fault === v.fault && a.target === v.target);
          if (ended >= 0) faults.splice(ended, 1);
        } else {
          continue;
        }
        exposed = new Set(faults.flatMap((a) => a.partitions));
        continue;
      }
      if (op.f !== 'send') continue;
      const v = op.value as Record<string, unknown>;
      if (typeof v.seq !== 'number' || !Number.isFinite(v.seq)) throw new Error(`history op ${op.index}: send ${op.type} without a numeric value.seq`);
      const seq = v.seq;
      sendOps++;
      const s = state(seq);
      s.sent = true;
      if (op.type === 'invoke') {
        s.attempted = true;
        invokes++;
        s.open.push(op.timeMs);
        if (exposed.size > 0) {
          if (Number.isInteger(v.partition) && (v.partition as number) >= 0) {
            if (exposed.has(v.partition as number)) exposedSends++;
          } else {
            exposureBySeq.set(seq, exposed);
          }
          faultAtInvoke.set(seq, { exposed, partition: v.partition });
        }
        continue;
      }
      let invokedMs: number | undefined;
      if (op.late === true && s.info > 0) s.info--;
      else if (s.open.length > 0) invokedMs = s.open.shift();
      const waiting = exposureBySeq.get(seq);
      if (waiting && (Array.isArray(v.tried) || Number.isInteger(v.partition))) {
        exposureBySeq.delete(seq);
        const placed: unknown[] = Array.isArray(v.tried) ? v.tried : [v.partition];
        if (placed.some((p) => Number.isInteger(p) && waiting.has(p as number))) exposedSends++;
      }
      const atInvoke = faultAtInvoke.get(seq);
      if (atInvoke) {
        const placed: unknown[] = Array.isArray(v.tried) ? v.tried : [v.partition, atInvoke.partition].filter(Number.isInteger).slice(0, 1);
        if (placed.length > 0 || op.type !== 'info') {
          faultAtInvoke.delete(seq);
          if (op.type !== 'ok' && placed.some((p) => Number.isInteger(p) && (p as number) >= 0 && !atInvoke.exposed.has(p as number))) s.healthyMiss = true;
        }
      }
      if (op.type === 'ok') {
        const partition = position(v.partition, op, 'partition');
        const offset = position(v.offset, op, 'offset');
        s.acked = true;
        if (partition !== null && offset !== null) acks.push({ seq, partition, offset });
        if (invokedMs !== undefined) latencies.push(op.timeMs - invokedMs);
        for (const heal of heals) if (heal.toAckMs === null) heal.toAckMs = op.timeMs - heal.atMs;
      } else if (op.type === 'fail') {
        s.anyFail = true;
      } else {
        s.info++;
      }
    }

    const logs = new Map<number, Array<{ offset: number; seq: number | null; arrival: number }>>();
    observed.forEach((r, arrival) => {
      if (!Number.isInteger(r.partition) || !Number.isFinite(r.offset)) throw new Error(`observed record without integer partition and offset: ${JSON.stringify(r)}`);
      const seq = r.seq === undefined ? null : r.seq;
      if (seq !== null && (typeof seq !== 'number' || !Number.isFinite(seq))) throw new Error(`observed record with a non-numeric seq: ${JSON.stringify(r)}`);
      if (!logs.has(r.partition)) logs.set(r.partition, []);
      logs.get(r.partition)!.push({ offset: r.offset, seq, arrival });
      if (seq === null) nullSeqRecords++;
      else state(seq).copies++;
    });

    const clauses = parseExpectations(spec);
    for (const log of logs.values()) log.sort((a, b) => a.offset - b.offset || a.arrival - b.arrival);
    const mismatches: Array<{ seq: number; partition: number; offset: number }> = [];
    for (const ack of acks) {
      const log = logs.get(ack.partition) ?? [];
      if (!log.some((r) => r.offset === ack.offset && r.seq === ack.seq)) {
        state(ack.seq).mismatch = true;
        mismatches.push(ack);
      }
    }

    const counts = Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as unknown as Counts;
    const named: Record<'lostAcked' | 'undelivered' | 'duplicates' | 'despite' | 'unexpected', number[]> = {
      lostAcked: [], undelivered: [], duplicates: [], despite: [], unexpected: [],
    };
    for (const [seq, s] of seqs) {
      const unsettled = s.open.length + s.info > 0;
      const indeterminate = s.sent && !s.acked && unsettled;
      const failed = s.sent && !s.acked && !unsettled && s.anyFail;
      if (s.attempted) counts.attempted++;
      if (s.acked) counts.acked++;
      if (failed) counts.failed++;
      if (indeterminate) counts.indeterminate++;
      if (s.mismatch) counts.offsetMismatch++;
      if (s.copies > 0) {
        counts.observed++;
        if (s.copies > 1 && s.attempted) { counts.duplicates += s.copies - 1; named.duplicates.push(seq); }
        if (failed || indeterminate) { counts.deliveredDespiteError++; named.despite.push(seq); }
        if (!s.attempted) { counts.unexpected += s.copies; named.unexpected.push(seq); }
      } else {
        if (s.acked) { counts.lostAcked++; named.lostAcked.push(seq); }
        if (s.attempted) { counts.undelivered++; named.undelivered.push(seq); }
        if (s.attempted && s.healthyMiss) counts.undeliveredDespiteHealthyTry++;
      }
    }
    counts.unexpected += nullSeqRecords;
    counts.exposedSends = exposedSends;
    counts.resends = invokes - counts.attempted;

    const reordered: number[] = [];
    for (const log of logs.values()) {
      const ordered = log.filter((r) => r.seq !== null).map((r) => r.seq as number);
      const best = ordered.map(() => 1);
      for (let i = 0; i < ordered.length; i++) for (let j = 0; j < i; j++) if (ordered[j] <= ordered[i]) best[i] = Math.max(best[i], best[j] + 1);
      counts.reordered += ordered.length - Math.max(0, ...best);
      const { kept } = longestNonDecreasing(ordered);
      ordered.forEach((seq, i) => kept[i] === 0 && reordered.push(seq));
    }

    const byNumber = (a: number, b: number) => a - b;
    const sorted = latencies.slice().sort(byNumber);
    const results = evaluateExpectations(clauses, counts);
    return {
      counts,
      latencyMs: { p50: nearestRank(sorted, 50) + 0, p95: nearestRank(sorted, 95) + 0, p99: nearestRank(sorted, 99) + 0, max: nearestRank(sorted, 100) + 0 },
      timeToFirstAckAfterHealMs: heals.map((h) => h.toAckMs),
      anomalies: {
        lostAcked: smallest(named.lostAcked, byNumber),
        undelivered: smallest(named.undelivered, byNumber),
        duplicates: smallest(named.duplicates, byNumber),
        reordered: smallest(reordered, byNumber),
        deliveredDespiteError: smallest(named.despite, byNumber),
        offsetMismatch: smallest(mismatches, (a, b) => a.seq - b.seq || a.partition - b.partition || a.offset - b.offset),
        unexpected: smallest(named.unexpected, byNumber),
      },
      expectations: results,
      verdict: sendOps > 0 && results.every((r) => r.pass) ? 'pass' : 'fail',
    };
  } catch (error) {
    return unknownResult(error);
  }
}

// Seqs from both of the checker's paths: the seq-indexed columns (0, 1, …) and the slot table
// (negative, fractional, beyond DIRECT_SEQ_LIMIT).
const seqArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(-3, 2.5, 2 ** 24, 2 ** 24 + 1, 2 ** 40) },
);
const partitionArb = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 2 }));
const offsetArb = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(null, -1) }, { weight: 6, arbitrary: fc.integer({ min: 0, max: 8 }) });
const timeArb = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 1, arbitrary: fc.constantFrom(0.5, 7.25, 5_000_000) });

type Step = Omit<HistoryOp, 'index' | 'timeMs'> & { dtMs: number };
const faultValue = (partitions: boolean) => fc.record({
  fault: fc.constantFrom('blackhole', 'latency'),
  target: fc.constantFrom('k1', 'k2'),
  ...(partitions ? { partitions: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }) } : {}),
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ dtMs: timeArb, process: fc.constant('p1'), type: fc.constant('invoke' as const), f: fc.constant('send' as const), value: fc.record({ seq: seqArb, key: fc.constant(null), partition: partitionArb }) }) },
  { weight: 5, arbitrary: fc.record({ dtMs: timeArb, process: fc.constant('p1'), type: fc.constant('ok' as const), f: fc.constant('send' as const), value: fc.record({ seq: seqArb, partition: partitionArb, offset: offsetArb }), late: fc.constantFrom(undefined, true as const) }, { requiredKeys: ['dtMs', 'process', 'type', 'f', 'value'] }) },
  { weight: 3, arbitrary: fc.record({ dtMs: timeArb, process: fc.constant('p1'), type: fc.constantFrom('fail' as const, 'info' as const), f: fc.constant('send' as const), value: fc.record({ seq: seqArb, partition: partitionArb, error: fc.constant('e'), tried: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['seq', 'error'] }), late: fc.constantFrom(undefined, true as const) }, { requiredKeys: ['dtMs', 'process', 'type', 'f', 'value'] }) },
  { weight: 1, arbitrary: fc.record({ dtMs: timeArb, process: fc.constant(NEMESIS_PROCESS), type: fc.constant('info' as const), f: fc.constantFrom('inject' as const, 'heal' as const), value: faultValue(true) }) },
  { weight: 1, arbitrary: fc.record({ dtMs: timeArb, process: fc.constantFrom('p1', NEMESIS_PROCESS), type: fc.constant('info' as const), f: fc.constantFrom('poll' as const, 'heal' as const, 'send' as const), value: faultValue(false) }) },
);
const historyArb = fc.array(stepArb, { maxLength: 80 }).map((steps) => {
  let timeMs = 0;
  return steps.map(({ dtMs, ...op }, index): HistoryOp => {
    timeMs += dtMs;
    return { ...op, index, timeMs };
  });
});
const observedArb = fc.array(
  fc.record({ partition: fc.integer({ min: 0, max: 2 }), offset: fc.integer({ min: 0, max: 8 }), seq: fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 8, arbitrary: seqArb }), key: fc.constant(null) }),
  { maxLength: 60 },
);
const specArb = fc.constantFrom<ExpectationSpec | undefined>(undefined, { lostAcked: 0 }, { undelivered: { lte: 2 }, duplicates: 0 }, { reordered: { gt: 0 } });

describe('check agrees with a plain reference implementation of the same definitions', () => {
  test('every field of the result, on random histories (both seq paths, faults, late outcomes, repeats)', () => {
    fc.assert(fc.property(historyArb, observedArb, specArb, (history, observed, spec) => {
      expect(check(history, observed, spec)).toEqual(referenceCheck(history, observed, spec));
    }), { numRuns: 2000 });
  });

  test('more than MAX_ANOMALIES_PER_KIND offenders of each kind: the same first ones', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
      let x = seed || 1;
      const next = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n);
      const history: HistoryOp[] = [];
      const observed: ObservedRecord[] = [];
      for (let seq = 0; seq < 400; seq++) {
        history.push({ index: history.length, timeMs: history.length, process: 'p1', type: 'invoke', f: 'send', value: { seq, key: null, partition: null } });
        const end = next(4);
        if (end === 0) history.push({ index: history.length, timeMs: history.length + next(9), process: 'p1', type: 'ok', f: 'send', value: { seq, partition: seq % 3, offset: next(200) } });
        if (end === 1) history.push({ index: history.length, timeMs: history.length, process: 'p1', type: 'fail', f: 'send', value: { seq, error: 'e' } });
        for (let c = next(3); c > 0; c--) observed.push({ partition: next(3), offset: next(200), seq: next(10) === 0 ? seq + 1000 : seq, key: null });
      }
      expect(check(history, observed)).toEqual(referenceCheck(history, observed));
    }), { numRuns: 50 });
  });
});
