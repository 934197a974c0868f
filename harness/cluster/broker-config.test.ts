import { brokerProperties, BrokerPorts } from './broker-config';
import { replicaAssignment } from './replica-assignment';

const ports = (id: number): BrokerPorts => ({ id, controller: 9000 + id, internal: 9100 + id, direct: 9200 + id, proxied: 9300 + id, proxy: 9400 + id });
const all = [1, 2, 3].map(ports);
const props = (text: string) => Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

test('four listeners on 127.0.0.1; PROXIED is advertised at the proxy, never at itself', () => {
  const p = props(brokerProperties(all[0], all, '/tmp/d'));
  expect(p.listeners).toBe('CONTROLLER://127.0.0.1:9001,INTERNAL://127.0.0.1:9101,DIRECT://127.0.0.1:9201,PROXIED://127.0.0.1:9301');
  expect(p['advertised.listeners']).toBe('INTERNAL://127.0.0.1:9101,DIRECT://127.0.0.1:9201,PROXIED://127.0.0.1:9401');
  expect(p['inter.broker.listener.name']).toBe('INTERNAL');
  expect(p['controller.quorum.voters']).toBe('1@127.0.0.1:9001,2@127.0.0.1:9002,3@127.0.0.1:9003');
  expect(p['process.roles']).toBe('broker,controller');
  expect(Object.values(p).join(' ')).not.toMatch(/0\.0\.0\.0|localhost/);
});

test('replica assignment: k1 leads partition 0, k2 partition 1, k3 partition 2', () => {
  expect(replicaAssignment(3, [1, 2, 3])).toEqual([
    { partition: 0, replicas: [1, 2, 3] },
    { partition: 1, replicas: [2, 3, 1] },
    { partition: 2, replicas: [3, 1, 2] },
  ]);
  expect(replicaAssignment(4, [1, 2, 3])[3].replicas).toEqual([1, 2, 3]);
});
