import type { LatencyMs } from './check-types';

/**
 * Nearest-rank percentile of an ascending-sorted sample: the value at rank ⌈p/100 · n⌉ (1-based),
 * so every reported value is one that was actually measured. 0 for an empty sample.
 */
export function nearestRank(sortedAscending: ArrayLike<number>, percent: number): number {
  const n = sortedAscending.length;
  if (n === 0) return 0;
  if (!(percent > 0)) return sortedAscending[0];
  const rank = Math.min(n, Math.ceil((percent / 100) * n));
  return sortedAscending[rank - 1];
}

/**
 * p50 / p95 / p99 / max of latency samples in ms. Sorts `samplesMs` in place (it may hold a
 * million samples; copying would double the memory). All zeros when there are no samples — no ack
 * means no latency, and the counts say so.
 */
export function summarizeLatencies(samplesMs: Float64Array): LatencyMs {
  samplesMs.sort();
  return {
    p50: nearestRank(samplesMs, 50),
    p95: nearestRank(samplesMs, 95),
    p99: nearestRank(samplesMs, 99),
    max: samplesMs.length === 0 ? 0 : samplesMs[samplesMs.length - 1],
  };
}
