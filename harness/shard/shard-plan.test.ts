import fc from 'fast-check';
import { planDigest, selectShard } from './shard-plan';
import { parseShard } from './shard-spec';

const named = (names: string[]) => names.map((name) => ({ name }));
const uniqueNames = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 60 });

describe('selectShard', () => {
  test('every scenario lands in exactly one shard, shard sizes differ by at most one', () => {
    fc.assert(fc.property(uniqueNames, fc.integer({ min: 1, max: 9 }), (names, total) => {
      const shards = Array.from({ length: total }, (_, i) => selectShard(named(names), { index: i + 1, total }).scenarios.map((s) => s.name));
      expect(shards.flat().sort()).toEqual([...names].sort());
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }));
  });

  test('the split does not depend on the order the plan came in (arguments, suites)', () => {
    fc.assert(fc.property(uniqueNames.chain((names) => fc.tuple(fc.constant(names), fc.shuffledSubarray(names, { minLength: names.length }))), fc.integer({ min: 1, max: 5 }), ([names, shuffled], total) => {
      for (let index = 1; index <= total; index++) {
        const a = selectShard(named(names), { index, total });
        const b = selectShard(named(shuffled), { index, total });
        expect(b.scenarios.map((s) => s.name)).toEqual(a.scenarios.map((s) => s.name));
        expect(b.info).toEqual(a.info);
      }
    }));
  });

  test('contiguous in name order: a suite prefix (one client) stays on as few machines as possible', () => {
    const plan = named(['seed/b/2', 'seed/a/1', 'seed/b/1', 'seed/a/2']);
    expect(selectShard(plan, { index: 1, total: 2 }).scenarios.map((s) => s.name)).toEqual(['seed/a/1', 'seed/a/2']);
    expect(selectShard(plan, { index: 2, total: 2 }).scenarios.map((s) => s.name)).toEqual(['seed/b/1', 'seed/b/2']);
  });

  test('more shards than scenarios: some shards are empty, none is lost; the info names the whole plan', () => {
    const plan = named(['x', 'y']);
    const shards = [1, 2, 3].map((index) => selectShard(plan, { index, total: 3 }));
    expect(shards.map((s) => s.scenarios.length)).toEqual([0, 1, 1]);
    expect(shards[0].info).toEqual({ index: 1, total: 3, planScenarios: 2, planDigest: planDigest(plan) });
  });

  test('planDigest: same names in any order give the same digest, another plan another', () => {
    expect(planDigest(named(['a', 'b']))).toBe(planDigest(named(['b', 'a'])));
    expect(planDigest(named(['a', 'b']))).not.toBe(planDigest(named(['a', 'c'])));
    expect(planDigest(named(['a', 'b']))).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('parseShard', () => {
  test.each([['1/1', 1, 1], ['2/4', 2, 4], [' 3 / 3 ', 3, 3]])('%j', (text, index, total) => {
    expect(parseShard(text)).toEqual({ index, total });
  });

  test.each([['0/2', /i must be between 1 and 2/], ['3/2', /i must be between 1 and 2/], ['1/0', /n must be at least 1/], ['2', /not of the form i\/n/], ['a/b', /not of the form/], ['1.5/2', /not of the form/], ['-1/2', /not of the form/], ['', /not of the form/]])(
    '%j is one error naming --shard and the fix',
    (text, problem) => {
      expect(() => parseShard(text)).toThrow(problem);
      expect(() => parseShard(text)).toThrow(/--shard[\s\S]*fix: give --shard i\/n/);
    },
  );
});
