import { brokerProperties, BrokerPorts } from '../cluster/broker-config';
import { laneProxyName, parseLaneProxyName } from './lane-names';

const ports = (id: number, lanes = 1): BrokerPorts => ({
  id, controller: 9000 + id, internal: 9100 + id, direct: 9200 + id, proxied: 9300 + id, proxy: 9400 + id,
  ...(lanes > 1 ? { extraLanes: Array.from({ length: lanes - 1 }, (_, l) => ({ proxied: 9500 + 10 * l + id, proxy: 9600 + 10 * l + id })) } : {}),
});
const props = (text: string) => Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

test('one lane: server.properties is the cluster of before, byte for byte (the sequential pins were measured on it)', () => {
  const before = ports(1);
  expect(brokerProperties(before, [1, 2, 3].map((id) => ports(id)), '/tmp/d')).toBe(brokerProperties({ ...before, extraLanes: [] }, [1, 2, 3].map((id) => ports(id)), '/tmp/d'));
  expect(brokerProperties(before, [1, 2, 3].map((id) => ports(id)), '/tmp/d')).not.toMatch(/PROXIED_L/);
});

test('three lanes: PROXIED_L2 and PROXIED_L3 bound on their own ports, each advertised at its own proxy, plaintext', () => {
  const p = props(brokerProperties(ports(1, 3), [1, 2, 3].map((id) => ports(id, 3)), '/tmp/d'));
  expect(p.listeners).toBe('CONTROLLER://127.0.0.1:9001,INTERNAL://127.0.0.1:9101,DIRECT://127.0.0.1:9201,PROXIED://127.0.0.1:9301,PROXIED_L2://127.0.0.1:9501,PROXIED_L3://127.0.0.1:9511');
  expect(p['advertised.listeners']).toBe('INTERNAL://127.0.0.1:9101,DIRECT://127.0.0.1:9201,PROXIED://127.0.0.1:9401,PROXIED_L2://127.0.0.1:9601,PROXIED_L3://127.0.0.1:9611');
  expect(p['listener.security.protocol.map']).toBe('CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,DIRECT:PLAINTEXT,PROXIED:PLAINTEXT,PROXIED_L2:PLAINTEXT,PROXIED_L3:PLAINTEXT');
});

test('lane proxy names: lane 1 keeps k<id>; lanes 2… are k<id>-lane<n>, and read back', () => {
  expect(laneProxyName(1, 1)).toBe('k1');
  expect(laneProxyName(3, 2)).toBe('k3-lane2');
  expect(parseLaneProxyName('k3-lane12')).toEqual({ brokerId: 3, lane: 12 });
  for (const other of ['k1', 'k1-replication', 'k1-lane1', 'k1-lane0', 'kx-lane2']) expect(parseLaneProxyName(other)).toBeUndefined();
});
