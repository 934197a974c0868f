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

test('the catalogue: link, packet and process kinds, each with its parameters, directions and heal modes', async () => {
  const { FAULT_KINDS, FAULT_PARAMETERS, DIRECTION_RULES, HEAL_RULES, LINK_FAULT_KINDS, PACKET_FAULT_KINDS, isLinkFault, isPacketFault, isProcessFault, actsOnLink, faultParameters } = await import('./fault-spec');
  expect(FAULT_KINDS).toHaveLength(17);
  expect(FAULT_KINDS.every((k) => [isLinkFault(k), isPacketFault(k), isProcessFault(k)].filter(Boolean).length === 1)).toBe(true);
  expect(FAULT_KINDS.filter(actsOnLink)).toEqual([...LINK_FAULT_KINDS, ...PACKET_FAULT_KINDS]);
  expect(Object.keys(HEAL_RULES).sort()).toEqual([...PACKET_FAULT_KINDS].sort());
  expect(HEAL_RULES['tcp-reset']).toEqual([]);
  expect(Object.keys(FAULT_PARAMETERS).sort()).toEqual([...FAULT_KINDS].sort());
  expect(Object.keys(DIRECTION_RULES).sort()).toEqual([...LINK_FAULT_KINDS].sort());
  expect(DIRECTION_RULES['ack-loss']).toEqual(['downstream']);
  expect(faultParameters({ kind: 'latency', target: 'k1', atMs: 0, healAtMs: null, latencyMs: 5, jitterMs: 1, link: 'client' })).toEqual({ latencyMs: 5, jitterMs: 1 });
  expect(faultParameters({ kind: 'kill', target: 'k1', atMs: 0, healAtMs: null })).toEqual({});
});

test('every fault kind has its one honest line in the report', async () => {
  const { FAULT_KINDS } = await import('./fault-spec');
  const { FAULT_EXPLANATIONS, explainFault } = await import('../../reports/fault-explanations');
  for (const kind of FAULT_KINDS) expect(FAULT_EXPLANATIONS[kind]).toBeTruthy();
  expect(explainFault('refuse', 'replication')).toMatch(/^on the replication link: .*followers.*; proxy disabled/);
});
