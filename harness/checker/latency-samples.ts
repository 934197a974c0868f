import type { LatencyMs } from './check-types';
import { summarizeLatencies } from './percentiles';
import { grownFloat64, grownUint32 } from './seq-slots';

/**
 * Whole-ms latencies below this are counted per ms instead of kept one by one.
 * @default 4_194_304 (70 minutes; at most 16 MB of counts)
 */
export const WHOLE_MS_LIMIT = 1 << 22;

/**
 * Ack latency samples, summarised as p50/p95/p99/max exactly as sorting them all would. The
 * recorder's times are whole ms, so nearly every sample is a small whole number: those are counted
 * per ms (a 10M-ack history needs a few KB instead of 80 MB, and no sort). Any other sample
 * (fractional, negative, huge, from a hand-written history) is kept as is.
 */
export class LatencySamples {
  private perMs = new Uint32Array(0);
  private wholeCount = 0;
  private others = new Float64Array(0);
  private otherCount = 0;

  add(ms: number): void {
    if (ms >>> 0 === ms && ms < WHOLE_MS_LIMIT) {
      if (ms >= this.perMs.length) this.perMs = grownUint32(this.perMs, ms + 1);
      this.perMs[ms]++;
      this.wholeCount++;
      return;
    }
    if (this.otherCount === this.others.length) this.others = grownFloat64(this.others, this.otherCount + 1);
    this.others[this.otherCount++] = ms;
  }

  get size(): number {
    return this.wholeCount + this.otherCount;
  }

  summary(): LatencyMs {
    if (this.otherCount > 0) return summarizeLatencies(this.all());
    const n = this.wholeCount;
    if (n === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
    // The 1-based ranks nearestRank would read, found by walking the per-ms counts in order.
    const ranks = [50, 95, 99, 100].map((percent) => Math.min(n, Math.ceil((percent / 100) * n)));
    const values = [0, 0, 0, 0];
    let seen = 0;
    let next = 0;
    for (let ms = 0; ms < this.perMs.length && next < ranks.length; ms++) {
      seen += this.perMs[ms];
      while (next < ranks.length && ranks[next] <= seen) values[next++] = ms;
    }
    return { p50: values[0], p95: values[1], p99: values[2], max: values[3] };
  }

  /** Every sample, one by one (only for histories with samples that are not whole ms). */
  private all(): Float64Array {
    const all = new Float64Array(this.size);
    let at = 0;
    for (let ms = 0; ms < this.perMs.length; ms++) all.fill(ms, at, (at += this.perMs[ms]));
    all.set(this.others.subarray(0, this.otherCount), at);
    return all;
  }
}
