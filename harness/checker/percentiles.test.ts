import fc from 'fast-check';
import { nearestRank, summarizeLatencies } from './percentiles';

describe('nearestRank', () => {
  test('rank ⌈p/100 · n⌉ of the sorted sample', () => {
    const sorted = [15, 20, 35, 40, 50];
    expect(nearestRank(sorted, 5)).toBe(15);
    expect(nearestRank(sorted, 30)).toBe(20);
    expect(nearestRank(sorted, 40)).toBe(20);
    expect(nearestRank(sorted, 50)).toBe(35);
    expect(nearestRank(sorted, 100)).toBe(50);
  });

  test('edge cases: empty → 0, p 0 → smallest, one sample → that sample', () => {
    expect(nearestRank([], 50)).toBe(0);
    expect(nearestRank([3, 9], 0)).toBe(3);
    expect(nearestRank([7], 99)).toBe(7);
  });
});

describe('summarizeLatencies', () => {
  test('sorts numerically (not as strings) and reports p50/p95/p99/max', () => {
    const samples = Float64Array.from([100, 9, 1000, 20, 3]);
    expect(summarizeLatencies(samples)).toEqual({ p50: 20, p95: 1000, p99: 1000, max: 1000 });
  });

  test('1..1000 ms', () => {
    const samples = Float64Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(summarizeLatencies(samples)).toEqual({ p50: 500, p95: 950, p99: 990, max: 1000 });
  });

  test('no samples → zeros', () => {
    expect(summarizeLatencies(new Float64Array(0))).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });
});

describe('summarizeLatencies by selection', () => {
  const bySorting = (samples: number[]) => {
    const sorted = Float64Array.from(samples).sort();
    return {
      p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99),
      max: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
    };
  };

  test('property: the same p50/p95/p99/max as sorting the sample (few distinct values, NaN included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -3, max: 9 }), fc.double({ noDefaultInfinity: true, noNaN: true }), fc.constant(Number.NaN)), { maxLength: 400 }),
        (samples) => {
          expect(summarizeLatencies(Float64Array.from(samples))).toEqual(bySorting(samples.map((s) => (Object.is(s, -0) ? 0 : s))));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('20k samples of 7 distinct values', () => {
    const samples = Array.from({ length: 20_000 }, (_, i) => 1 + ((i * 7919) % 7));
    expect(summarizeLatencies(Float64Array.from(samples))).toEqual(bySorting(samples));
  });
});
