import { composeTopology, dockerTopology, portPlanFrom, portsNeeded, PORTS_NEEDED, toxiproxyConfig } from './docker-definitions';

// Client lanes on the docker backend (`kchaos run --backend docker --parallel N`): the same lanes
// as the local backend (PROXIED_L<n> behind proxy k<id>-lane<n>), with the lane proxies' ports
// published 1:1 on 127.0.0.1 by the Toxiproxy container.
const LANES = 3;
const ports = Array.from({ length: portsNeeded(LANES) }, (_, i) => 42000 + i);
const plan = portPlanFrom(ports, LANES);
const topology = dockerTopology(plan, { clusterId: 'AAAAAAAAAAAAAAAAAAAAAA' });
const env = (id: number) => topology.brokers[id - 1].environment;

test('ports: one more proxy port per broker per extra lane, all distinct; one lane needs exactly what it always did', () => {
  expect(portsNeeded(1)).toBe(PORTS_NEEDED);
  expect(portsNeeded(LANES)).toBe(PORTS_NEEDED + 3 * 2);
  expect(() => portPlanFrom(ports.slice(0, -1), LANES)).toThrow(/16 distinct ports/);
  const used = [plan.toxiproxyApi, ...plan.brokers.flatMap((b) => [b.direct, b.proxy, b.replicationProxy, ...(b.extraLanes ?? []).map((l) => l.proxy)])];
  expect(new Set(used).size).toBe(ports.length);
  expect(portPlanFrom(ports.slice(0, PORTS_NEEDED)).brokers.every((b) => !('extraLanes' in b))).toBe(true);
});

test('each broker gets PROXIED_L2, PROXIED_L3 inside the container, advertised at its lane proxy\'s published port', () => {
  for (const b of plan.brokers) {
    const lanes = b.extraLanes!;
    expect(env(b.id).KAFKA_LISTENERS).toBe('CONTROLLER://0.0.0.0:9093,INTERNAL://0.0.0.0:9094,DIRECT://0.0.0.0:9092,PROXIED://0.0.0.0:9095,PROXIED_L2://0.0.0.0:9102,PROXIED_L3://0.0.0.0:9103');
    expect(env(b.id).KAFKA_ADVERTISED_LISTENERS).toBe(
      `INTERNAL://toxiproxy:${b.replicationProxy},DIRECT://127.0.0.1:${b.direct},PROXIED://127.0.0.1:${b.proxy},PROXIED_L2://127.0.0.1:${lanes[0].proxy},PROXIED_L3://127.0.0.1:${lanes[1].proxy}`);
    expect(env(b.id).KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toBe('CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,DIRECT:PLAINTEXT,PROXIED:PLAINTEXT,PROXIED_L2:PLAINTEXT,PROXIED_L3:PLAINTEXT');
  }
});

test('Toxiproxy: k<id>-lane<n> listens where PROXIED_L<n> is advertised and forwards to that listener; its port is published on 127.0.0.1', () => {
  const proxies = toxiproxyConfig(plan);
  expect(proxies.map((p) => p.name)).toEqual(['k1', 'k1-replication', 'k2', 'k2-replication', 'k3', 'k3-replication', 'k1-lane2', 'k1-lane3', 'k2-lane2', 'k2-lane3', 'k3-lane2', 'k3-lane3']);
  for (const b of plan.brokers) {
    for (const [i, lane] of b.extraLanes!.entries()) {
      expect(proxies.find((p) => p.name === `k${b.id}-lane${i + 2}`)).toEqual({ name: `k${b.id}-lane${i + 2}`, listen: `0.0.0.0:${lane.proxy}`, upstream: `k${b.id}:${9102 + i}`, enabled: true });
      expect(topology.toxiproxy.ports).toContainEqual({ hostIp: '127.0.0.1', host: lane.proxy, container: lane.proxy });
    }
  }
  expect(topology.toxiproxy.ports).toHaveLength(1 + 3 * LANES);
  expect(topology.brokers.every((b) => b.ports.length === 1)).toBe(true); // a broker still publishes only DIRECT
});

test('docker-compose.yml stays one lane: no PROXIED_L<n>, no lane proxy', () => {
  const compose = composeTopology();
  expect(compose.brokers.every((b) => !b.environment.KAFKA_LISTENERS.includes('PROXIED_L'))).toBe(true);
  expect(toxiproxyConfig(compose.plan).map((p) => p.name)).toEqual(['k1', 'k1-replication', 'k2', 'k2-replication', 'k3', 'k3-replication']);
});
