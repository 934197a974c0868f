import fc from 'fast-check';
import { LatencySamples, WHOLE_MS_LIMIT } from './latency-samples';
import { nearestRank } from './percentiles';

const bySorting = (samples: number[]) => {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99),
    max: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
  };
};
const summaryOf = (samples: number[]) => {
  const latencies = new LatencySamples();
  for (const s of samples) latencies.add(s);
  return latencies.summary();
};

describe('LatencySamples', () => {
  test('property: whole-ms samples give what sorting them gives', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 500 }), (samples) => {
      expect(summaryOf(samples)).toEqual(bySorting(samples));
    }), { numRuns: 200 });
  });

  test('property: any mix (fractional, negative, beyond the per-ms range) gives what sorting gives', () => {
    const sample = fc.oneof(
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: -5, max: -1 }),
      fc.constant(WHOLE_MS_LIMIT + 3),
      fc.double({ min: 0, max: 60, noNaN: true }).filter((d) => !Object.is(d, -0)),
    );
    fc.assert(fc.property(fc.array(sample, { maxLength: 300 }), (samples) => {
      expect(summaryOf(samples)).toEqual(bySorting(samples));
    }), { numRuns: 200 });
  });

  test('no samples → zeros; summary() twice gives the same', () => {
    expect(summaryOf([])).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
    const latencies = new LatencySamples();
    for (const s of [5, 1.5, 9, 2]) latencies.add(s);
    expect(latencies.summary()).toEqual(latencies.summary());
    expect(latencies.summary()).toEqual(bySorting([5, 1.5, 9, 2]));
  });
});
