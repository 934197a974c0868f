import { brokerProperties } from './broker-config';
import { BROKER_RACKS_ENV, rackOf, rackSettings, RACK_AWARE_REPLICA_SELECTOR } from './rack-config';
import { replicaAssignment } from './replica-assignment';

test('opt-in: with KCHAOS_BROKER_RACKS=1 broker k<n> is in rack r<n> with the rack-aware replica selector; without it, no rack', () => {
  expect(rackSettings(2, { [BROKER_RACKS_ENV]: '1' })).toEqual({ 'broker.rack': 'r2', 'replica.selector.class': RACK_AWARE_REPLICA_SELECTOR });
  expect(rackSettings(2, {})).toEqual({});
  const ports = [1, 2, 3].map((id) => ({ id, controller: 9000 + id, internal: 9100 + id, direct: 9200 + id, proxied: 9300 + id, proxy: 9400 + id }));
  const before = process.env[BROKER_RACKS_ENV];
  try {
    process.env[BROKER_RACKS_ENV] = '1';
    const props = brokerProperties(ports[0], ports, '/tmp/x');
    expect(props).toContain('\nbroker.rack=r1\n');
    expect(props).toContain(`\nreplica.selector.class=${RACK_AWARE_REPLICA_SELECTOR}\n`);
    delete process.env[BROKER_RACKS_ENV];
    expect(brokerProperties(ports[0], ports, '/tmp/x')).not.toContain('broker.rack');
  } finally {
    if (before === undefined) delete process.env[BROKER_RACKS_ENV];
    else process.env[BROKER_RACKS_ENV] = before;
  }
});

test('replica placement is unchanged: RF 3 on 3 brokers puts one replica in each rack, partition p led by broker p+1', () => {
  for (const { partition, replicas } of replicaAssignment(3, [1, 2, 3])) {
    expect(new Set(replicas.map(rackOf))).toEqual(new Set(['r1', 'r2', 'r3']));
    expect(replicas[0]).toBe(partition + 1);
  }
});
