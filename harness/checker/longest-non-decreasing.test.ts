import fc from 'fast-check';
import { longestNonDecreasing } from './longest-non-decreasing';

/** O(n²) dynamic programme, the textbook definition. */
function naiveLength(values: number[]): number {
  const best = values.map(() => 1);
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < i; j++) if (values[j] <= values[i]) best[i] = Math.max(best[i], best[j] + 1);
  }
  return Math.max(0, ...best);
}

describe('longestNonDecreasing', () => {
  test.each([
    [[], 0],
    [[5], 1],
    [[0, 1, 2, 3], 4],
    [[1, 0], 1],
    [[0, 2, 1, 3], 3],
    [[0, 1, 1, 2], 4],
    [[3, 2, 1, 0], 1],
    [[2, 2, 2], 3],
  ])('%j → %i', (values, length) => {
    expect(longestNonDecreasing(values).length).toBe(length);
  });

  test('matches the O(n²) definition, and the kept records form such a run', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 20 }), { maxLength: 80 }), (values) => {
        const { length, kept } = longestNonDecreasing(values);
        expect(length).toBe(naiveLength(values));
        const run = values.filter((_, i) => kept[i] === 1);
        expect(run).toHaveLength(length);
        for (let i = 1; i < run.length; i++) expect(run[i - 1]).toBeLessThanOrEqual(run[i]);
      }),
    );
  });
});
