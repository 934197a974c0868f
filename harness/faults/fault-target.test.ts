import { coordinatorTargets, isValidTarget, parseTarget, resolveTarget } from './fault-target';

const leaders = { 0: 1, 1: 2, 2: 3 };

test('a target is a broker, the leader of a partition, or the coordinator of a group or transactional id', () => {
  expect(parseTarget('k3')).toEqual({ role: 'broker', id: 3 });
  expect(parseTarget('leaderOf(2)')).toEqual({ role: 'leader', partition: 2 });
  expect(parseTarget('groupCoordinatorOf(orders.v2)')).toEqual({ role: 'coordinator', type: 'group', key: 'orders.v2' });
  expect(parseTarget('transactionCoordinatorOf(tx-(1))')).toEqual({ role: 'coordinator', type: 'transaction', key: 'tx-(1)' });
  for (const bad of ['k0', 'leader(0)', 'groupCoordinatorOf()', 'consumerCoordinatorOf(g)', 'K1', '']) expect(isValidTarget(bad)).toBe(false);
});

test('coordinator targets resolve through the table found at scenario start, and say so when it was not', () => {
  expect(resolveTarget('groupCoordinatorOf(g)', leaders, { 'groupCoordinatorOf(g)': 2 })).toBe(2);
  expect(() => resolveTarget('groupCoordinatorOf(g)', leaders)).toThrow(/the group coordinator of "g" was not looked up[\s\S]*fix: .*FaultSchedule\.start/);
  expect(() => resolveTarget('followersOf(0)', leaders)).toThrow(/"followersOf\(0\)" is not a target[\s\S]*groupCoordinatorOf/);
});

test('coordinatorTargets lists each coordinator target once, and nothing else', () => {
  expect(coordinatorTargets(['k1', 'groupCoordinatorOf(g)', 'leaderOf(0)', 'groupCoordinatorOf(g)', 'transactionCoordinatorOf(t)'])).toEqual([
    { target: 'groupCoordinatorOf(g)', type: 'group', key: 'g' },
    { target: 'transactionCoordinatorOf(t)', type: 'transaction', key: 't' },
  ]);
});
