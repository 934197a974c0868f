import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_KAFKA_VERSION } from '../provision/kafka-jars';
import { BrokerPorts, brokerProperties } from './broker-config';
import {
  COMPOSE_CLUSTER_ID, COMPOSE_PORTS, COMPOSE_TOXIPROXY_CONFIG, composeTopology, composeYaml, dockerTopology, KAFKA_CONTAINER_PORTS, KAFKA_IMAGE,
  kafkaEnvName, kafkaImageFor, portPlanFrom, PORTS_NEEDED, TOXIPROXY_CONFIG_PATH, TOXIPROXY_IMAGE, toxiproxyConfig, toxiproxyConfigJson,
} from './docker-definitions';
import { LISTENER_NAMES } from './listener-plan';

const ROOT = path.resolve(__dirname, '../..');
const plan = portPlanFrom([40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009]);
const topology = dockerTopology(plan, { clusterId: 'AAAAAAAAAAAAAAAAAAAAAA' });
const env = (id: number) => topology.brokers[id - 1].environment;

/** KAFKA_FOO__BAR_BAZ → foo_bar.baz: the inverse of kafkaEnvName, as the apache/kafka image applies it. */
const propertyOf = (name: string) => name.slice('KAFKA_'.length).toLowerCase().replace(/___|__|_/g, (m) => ({ ___: '-', __: '_', _: '.' })[m as '_']);
const settingsOf = (environment: Record<string, string>) =>
  Object.fromEntries(Object.entries(environment).filter(([k]) => k.startsWith('KAFKA_') && k !== 'KAFKA_HEAP_OPTS' && k !== 'KAFKA_JVM_PERFORMANCE_OPTS').map(([k, v]) => [propertyOf(k), v]));
const localProps = (text: string) => Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const listenerNames = (value: string) => value.split(',').map((l) => l.slice(0, l.indexOf('://')));

test('images: Kafka pinned to the default Kafka version, Toxiproxy to 2.12.0', () => {
  expect(KAFKA_IMAGE).toBe(`apache/kafka:${DEFAULT_KAFKA_VERSION}`);
  expect(kafkaImageFor()).toBe(KAFKA_IMAGE);
  expect(kafkaImageFor('3.9.1')).toBe('apache/kafka:3.9.1');
  expect(TOXIPROXY_IMAGE).toBe('ghcr.io/shopify/toxiproxy:2.12.0');
  expect(topology.brokers.every((b) => b.image === KAFKA_IMAGE)).toBe(true);
  expect(topology.toxiproxy.image).toBe(TOXIPROXY_IMAGE);
});

test('property names become the apache/kafka image\'s environment names', () => {
  expect(kafkaEnvName('controller.quorum.voters')).toBe('KAFKA_CONTROLLER_QUORUM_VOTERS');
  expect(kafkaEnvName('abc-def')).toBe('KAFKA_ABC___DEF');
  expect(kafkaEnvName('abc_def')).toBe('KAFKA_ABC__DEF');
  for (const p of ['a.b_c-d', 'log.flush.interval.messages', 'x_y.z']) expect(propertyOf(kafkaEnvName(p))).toBe(p);
});

test('KRaft combined mode: roles, node ids, one cluster id, quorum voters by network alias', () => {
  for (const id of [1, 2, 3]) {
    expect(env(id).KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env(id).KAFKA_NODE_ID).toBe(String(id));
    expect(env(id).CLUSTER_ID).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(env(id).KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@k1:9093,2@k2:9093,3@k3:9093');
    expect(env(id).KAFKA_CONTROLLER_LISTENER_NAMES).toBe('CONTROLLER');
    expect(env(id).KAFKA_INTER_BROKER_LISTENER_NAME).toBe('INTERNAL');
    expect(env(id).KAFKA_LOG_DIRS).toBe('/var/lib/kafka/data');
  }
  expect(topology.brokers.map((b) => b.name)).toEqual(['k1', 'k2', 'k3']);
});

test('listeners bind inside the container; PROXIED is advertised at the proxy\'s host port, DIRECT at its published host port', () => {
  const b1 = plan.brokers[0];
  expect(env(1).KAFKA_LISTENERS).toBe('CONTROLLER://0.0.0.0:9093,INTERNAL://0.0.0.0:9094,DIRECT://0.0.0.0:9092,PROXIED://0.0.0.0:9095');
  expect(env(1).KAFKA_ADVERTISED_LISTENERS).toBe(`INTERNAL://toxiproxy:${b1.replicationProxy},DIRECT://127.0.0.1:${b1.direct},PROXIED://127.0.0.1:${b1.proxy}`);
  for (const id of [1, 2, 3]) {
    const advertised = env(id).KAFKA_ADVERTISED_LISTENERS;
    expect(advertised).not.toMatch(/0\.0\.0\.0|localhost/);
    expect(advertised).not.toContain(`:${KAFKA_CONTAINER_PORTS.proxied}`); // never PROXIED itself
    expect(advertised).toContain(`PROXIED://127.0.0.1:${plan.brokers[id - 1].proxy}`);
  }
});

test('every published port is bound to 127.0.0.1; proxies and the API 1:1, DIRECT to container port 9092, nothing else published', () => {
  const all = [topology.toxiproxy, ...topology.brokers].flatMap((c) => c.ports);
  expect(all.every((p) => p.hostIp === '127.0.0.1')).toBe(true);
  expect(topology.toxiproxy.ports).toEqual([plan.toxiproxyApi, ...plan.brokers.map((b) => b.proxy)].map((port) => ({ hostIp: '127.0.0.1', host: port, container: port })));
  expect(topology.brokers.map((b) => b.ports)).toEqual(plan.brokers.map((b) => [{ hostIp: '127.0.0.1', host: b.direct, container: KAFKA_CONTAINER_PORTS.direct }]));
  expect(new Set(all.map((p) => p.host)).size).toBe(all.length);
});

test('Toxiproxy: proxy kN listens where PROXIED is advertised and forwards to PROXIED; kN-replication forwards to INTERNAL', () => {
  const proxies = toxiproxyConfig(plan);
  expect(proxies.map((p) => p.name)).toEqual(['k1', 'k1-replication', 'k2', 'k2-replication', 'k3', 'k3-replication']);
  for (const b of plan.brokers) {
    const front = proxies.find((p) => p.name === `k${b.id}`)!;
    expect(front).toEqual({ name: `k${b.id}`, listen: `0.0.0.0:${b.proxy}`, upstream: `k${b.id}:9095`, enabled: true });
    expect(env(b.id).KAFKA_ADVERTISED_LISTENERS).toContain(`PROXIED://127.0.0.1:${front.listen.split(':')[1]}`);
    const replication = proxies.find((p) => p.name === `k${b.id}-replication`)!;
    expect(replication.upstream).toBe(`k${b.id}:9094`);
    expect(env(b.id).KAFKA_ADVERTISED_LISTENERS).toContain(`INTERNAL://toxiproxy:${replication.listen.split(':')[1]}`);
  }
  // The image's CMD is replaced, so -host must be given again; the config file is where -config looks.
  expect(topology.toxiproxy.command).toEqual(['-host=0.0.0.0', `-port=${plan.toxiproxyApi}`, `-config=${TOXIPROXY_CONFIG_PATH}`]);
  expect(topology.toxiproxy.files).toEqual([{ target: TOXIPROXY_CONFIG_PATH, content: toxiproxyConfigJson(plan), composeSource: COMPOSE_TOXIPROXY_CONFIG }]);
  // Every port the Toxiproxy container listens on differs (API, proxies, replication proxies).
  const listening = [plan.toxiproxyApi, ...proxies.map((p) => Number(p.listen.split(':')[1]))];
  expect(new Set(listening).size).toBe(listening.length);
});

test('same listener plan as the local backend: same settings, same listener names and order; only addresses and log.dirs differ', () => {
  const ports = (id: number): BrokerPorts => ({ id, controller: 9000 + id, internal: 9100 + id, direct: 9200 + id, proxied: 9300 + id, proxy: 9400 + id });
  const local = localProps(brokerProperties(ports(1), [1, 2, 3].map(ports), '/tmp/d'));
  const docker = settingsOf(env(1));
  expect(Object.keys(docker).sort()).toEqual(Object.keys(local).sort());
  const addressKeys = ['listeners', 'advertised.listeners', 'controller.quorum.voters', 'log.dirs'];
  for (const key of Object.keys(local).filter((k) => !addressKeys.includes(k))) expect({ key, value: docker[key] }).toEqual({ key, value: local[key] });
  expect(listenerNames(docker.listeners)).toEqual([...LISTENER_NAMES]);
  expect(listenerNames(local.listeners)).toEqual([...LISTENER_NAMES]);
  expect(listenerNames(docker['advertised.listeners'])).toEqual(listenerNames(local['advertised.listeners']));
  expect(docker['listener.security.protocol.map']).toBe('CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,DIRECT:PLAINTEXT,PROXIED:PLAINTEXT');
});

test('portPlanFrom needs distinct ports', () => {
  expect(PORTS_NEEDED).toBe(10);
  expect(() => portPlanFrom([1, 2, 3])).toThrow(/10 distinct ports/);
  expect(() => portPlanFrom([1, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toThrow(/distinct/);
});

describe('docker-compose.yml', () => {
  const committed = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');

  test('is exactly what docker/generate-compose.ts writes from these definitions (and so is docker/toxiproxy.json)', () => {
    expect(committed).toBe(composeYaml());
    expect(fs.readFileSync(path.join(ROOT, COMPOSE_TOXIPROXY_CONFIG), 'utf8')).toBe(toxiproxyConfigJson(COMPOSE_PORTS));
  });

  test('fixed ports for hand exploration: DIRECT 19092-19094, proxies 29092-29094, API 8474, all on 127.0.0.1', () => {
    const portLines = committed.split('\n').filter((l) => /^\s+- "\d|^\s+- "127/.test(l) && !l.includes('/'));
    expect(portLines.map((l) => l.trim())).toEqual([
      '- "127.0.0.1:8474:8474"', '- "127.0.0.1:29092:29092"', '- "127.0.0.1:29093:29093"', '- "127.0.0.1:29094:29094"',
      '- "127.0.0.1:19092:9092"', '- "127.0.0.1:19093:9092"', '- "127.0.0.1:19094:9092"',
    ]);
    const compose = composeTopology();
    expect(compose.brokers.map((b) => b.environment.KAFKA_ADVERTISED_LISTENERS)).toEqual([1, 2, 3].map((id) =>
      `INTERNAL://toxiproxy:${39091 + id},DIRECT://127.0.0.1:${19091 + id},PROXIED://127.0.0.1:${29091 + id}`));
    expect(compose.brokers.every((b) => b.environment.CLUSTER_ID === COMPOSE_CLUSTER_ID)).toBe(true);
    expect(Buffer.from(COMPOSE_CLUSTER_ID, 'base64url')).toHaveLength(16); // a KRaft cluster id is a UUID
  });

  test('services, images, the mounted Toxiproxy config and the private network', () => {
    expect(committed).toMatch(/^services:\n {2}toxiproxy:\n/m);
    for (const name of ['k1', 'k2', 'k3']) expect(committed).toContain(`\n  ${name}:\n    image: "\${KCHAOS_KAFKA_IMAGE:-${KAFKA_IMAGE}}"\n    hostname: ${name}\n    depends_on: ["toxiproxy"]\n`);
    expect(committed).toContain(`image: "\${KCHAOS_TOXIPROXY_IMAGE:-${TOXIPROXY_IMAGE}}"`);
    expect(committed).toContain(`- "./docker/toxiproxy.json:${TOXIPROXY_CONFIG_PATH}:ro"`);
    expect(committed.match(/networks: \["kchaos"\]/g)).toHaveLength(4);
    expect(committed).toMatch(/\nnetworks:\n {2}kchaos:\n {4}driver: bridge\n$/);
    expect(committed).not.toMatch(/"0\.0\.0\.0:\d+:\d+"|- "\d+:\d+"/); // no port published on every interface
  });
});
