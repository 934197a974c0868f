import type { ScenarioResult } from './results-types';

/** A fault's active span on the chart's x axis, in seconds since the scenario started. */
export interface FaultWindow {
  from: number;
  to: number;
  label: string;
}

/** Data for one chart: one partition of one scenario, dense per second (gaps are zeros, not holes). */
export interface TimelineChart {
  canvasId: string;
  title: string;
  seconds: number[];
  sends: number[];
  acks: number[];
  errors: number[];
  windows: FaultWindow[];
}

/**
 * One chart per partition, so the partition led by the cut broker can be told from the others
 * at a glance. Fault windows use the same clock as the buckets (ms since scenario start); a
 * fault healed only at the end is drawn to the last second.
 */
export function timelineCharts(scenario: ScenarioResult, scenarioIndex: number): TimelineChart[] {
  const buckets = scenario.timeline ?? [];
  if (buckets.length === 0) return [];
  const partitions = [...new Set(buckets.map((b) => String(b.partition)))].sort(comparePartitions);
  const faults = scenario.faults ?? [];
  const first = Math.min(0, ...buckets.map((b) => b.second));
  const lastBucket = Math.max(...buckets.map((b) => b.second));
  const lastFault = Math.max(lastBucket, ...faults.map((f) => Math.ceil((f.healAtMs ?? f.atMs) / 1000)));
  const last = Math.max(lastBucket, Number.isFinite(lastFault) ? lastFault : lastBucket);
  const seconds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const windows: FaultWindow[] = faults.map((f) => ({
    from: f.atMs / 1000,
    to: f.healAtMs === null ? last + 1 : f.healAtMs / 1000,
    label: `${f.kind} ${f.target}${f.healAtMs === null ? ' (not healed)' : ''}`,
  }));

  return partitions.map((partition, p) => {
    const series = { sends: zeros(seconds.length), acks: zeros(seconds.length), errors: zeros(seconds.length) };
    for (const b of buckets) {
      if (String(b.partition) !== partition) continue;
      const i = b.second - first;
      series.sends[i] += b.sends;
      series.acks[i] += b.acks;
      series.errors[i] += b.errors;
    }
    const leader = scenario.leaders?.[partition];
    const title = partition === '?'
      ? 'partition unknown (sends that never got one)'
      : `partition ${partition}${leader !== undefined ? ` (leader k${leader} at start)` : ''}`;
    return { canvasId: `timeline-${scenarioIndex}-${p}`, title, seconds, ...series, windows };
  });
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
