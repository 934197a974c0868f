import type { LatencyMs } from './check-types';

/**
 * Nearest-rank percentile of an ascending-sorted sample: the value at rank ⌈p/100 · n⌉ (1-based),
 * so every reported value is one that was actually measured. 0 for an empty sample.
 */
export function nearestRank(sortedAscending: ArrayLike<number>, percent: number): number {
  const n = sortedAscending.length;
  if (n === 0) return 0;
  return sortedAscending[rankIndex(n, percent)];
}

/** 0-based index of the nearest rank of `percent` in n sorted values (n > 0). */
function rankIndex(n: number, percent: number): number {
  if (!(percent > 0)) return 0;
  return Math.min(n, Math.ceil((percent / 100) * n)) - 1;
}

/**
 * p50 / p95 / p99 / max of latency samples in ms: the values sorting would give, found by selection
 * (O(n); a full sort of 10M samples took ~1 s of the checker's time). Reorders `samplesMs` in place
 * (it may hold ten million samples; copying would double the memory). NaN samples rank last, as
 * sorting puts them (−0 and 0 count as one value here). All zeros when there are no samples: no ack means no latency, and the counts
 * say so.
 */
export function summarizeLatencies(samplesMs: Float64Array): LatencyMs {
  const n = samplesMs.length;
  if (n === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const numbers = moveNaNToEnd(samplesMs);
  const at = (percent: number): number => {
    const k = rankIndex(n, percent);
    return k < numbers ? samplesMs[k] : NaN;
  };
  // Each selection leaves everything left of its index ≤ it, so the next, smaller rank searches only there.
  const k99 = Math.min(rankIndex(n, 99), numbers - 1);
  const k95 = Math.min(rankIndex(n, 95), numbers - 1);
  const k50 = Math.min(rankIndex(n, 50), numbers - 1);
  if (numbers > 0) {
    selectInPlace(samplesMs, k99, 0, numbers - 1);
    selectInPlace(samplesMs, k95, 0, k99);
    selectInPlace(samplesMs, k50, 0, k95);
  }
  let max = numbers < n ? NaN : -Infinity;
  for (let i = k99; i < numbers && !Number.isNaN(max); i++) if (samplesMs[i] > max) max = samplesMs[i];
  // + 0 turns a selected −0 into 0: sorting puts −0 and 0 in either order, so only 0 is a stable answer.
  return { p50: at(50) + 0, p95: at(95) + 0, p99: at(99) + 0, max: max + 0 };
}

/** Moves NaN samples behind the numbers; returns how many numbers there are. */
function moveNaNToEnd(a: Float64Array): number {
  let end = a.length;
  for (let i = 0; i < end; i++) {
    if (!Number.isNaN(a[i])) continue;
    end--;
    while (end > i && Number.isNaN(a[end])) end--;
    const t = a[i];
    a[i] = a[end];
    a[end] = t;
  }
  return end;
}

/**
 * Hoare's selection: afterwards a[k] is the value sorting [lo, hi] would put there, with everything
 * in [lo, k) ≤ it and everything in (k, hi] ≥ it. Equal values stop both scans, so a sample of few
 * distinct latencies still splits evenly.
 */
function selectInPlace(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
