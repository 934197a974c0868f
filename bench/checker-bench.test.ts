import { benchChecker } from './checker-bench';

describe('benchChecker', () => {
  test('checks a generated history (small size here; 1M in `npx tsx bench/checker-bench.ts`)', async () => {
    const result = await benchChecker({ messages: 30_000 });
    expect(result.checker1MMs).toBeGreaterThanOrEqual(0);
    expect(result.checker1MRssMb).toBeGreaterThan(0);
  });
});
