import { isValidTarget, resolveTarget } from './fault-spec';

test('targets name a broker or the leader of a partition at scenario start', () => {
  const leaders = { 0: 1, 1: 2, 2: 3 };
  expect(resolveTarget('k2', leaders)).toBe(2);
  expect(resolveTarget('leaderOf(2)', leaders)).toBe(3);
  expect(() => resolveTarget('leaderOf(7)', leaders)).toThrow(/partition 7 has no leader/);
  expect(isValidTarget('k1')).toBe(true);
  expect(isValidTarget('k0')).toBe(false);
  expect(isValidTarget('leader(0)')).toBe(false);
});
