/**
 * The docker topology as plain data: three apache/kafka containers (KRaft, broker+controller) and
 * one Toxiproxy container on a private network, with the same listener plan as the local backend
 * (listener-plan.ts). Pure functions: the docker backend (docker-cluster.ts) starts these
 * definitions with testcontainers, and docker-compose.yml / docker/toxiproxy.json are generated
 * from them (docker/generate-compose.ts), so there is one source of truth for both.
 *
 * The address problem. The producer under test and the verifier run on the host, not in a
 * container, and a broker answers metadata with the addresses it advertises. So:
 * - PROXIED is advertised as 127.0.0.1:<host port of the broker's Toxiproxy proxy>. The broker must
 *   know that port before it starts, so host ports are chosen first (free ports, or the fixed ones
 *   of docker-compose.yml) and a proxy listens inside the Toxiproxy container on the same port
 *   number it is published on (1:1). The proxy's own listen address then names the host address
 *   too, which is what Toxiproxy clients (and the external backend) read.
 * - DIRECT is advertised as 127.0.0.1:<its published host port>; inside the container it listens
 *   on a fixed port.
 * - CONTROLLER and INTERNAL stay on the private network (kN:9093, kN:9094) and are not published;
 *   INTERNAL is advertised at the broker's replication proxy (toxiproxy:<port>), as in the local
 *   backend, so replication link faults work here too.
 * - Every published port is bound to 127.0.0.1 only: nothing is reachable from other machines.
 * Pre-chosen free ports can be taken by another process between the choice and the container
 * start; Docker then refuses to start the container ("port is already allocated") and the start
 * fails with that message. Starting again picks new ports.
 */
import { DEFAULT_KAFKA_VERSION } from '../provision/kafka-jars';
import { brokerSettings, LOOPBACK } from './broker-config';
import { BROKER_JIT_FLAGS, BROKER_JVM_FLAGS } from './broker-jvm';
import { ListenerEndpoints } from './listener-plan';
import { FIRST_LANE, laneProxyName } from '../lanes/lane-names';
import { KAFKA_IMAGE_ENV, TOXIPROXY_IMAGE_ENV } from '../docker-images/image-names';

/** Pinned to the default Kafka version (DEFAULT_KAFKA_VERSION); a test keeps the two equal. */
export const KAFKA_IMAGE = 'apache/kafka:4.3.1';
export const KAFKA_IMAGE_REPOSITORY = 'apache/kafka';
export const TOXIPROXY_IMAGE = 'ghcr.io/shopify/toxiproxy:2.12.0';
export const BROKER_IDS = [1, 2, 3] as const;
/** Network alias of the Toxiproxy container. */
export const TOXIPROXY_HOST = 'toxiproxy';
/** Listen ports inside each Kafka container (each container has its own network namespace). */
export const KAFKA_CONTAINER_PORTS = { direct: 9092, controller: 9093, internal: 9094, proxied: 9095 } as const;
/** Client lane n ≥ 2 (`--parallel`): its PROXIED_L<n> listener inside each Kafka container listens on 9100 + n. */
export const laneContainerPort = (lane: number) => 9100 + lane;
/** The image declares this folder a volume and lets its user (appuser) write it. */
export const KAFKA_DATA_DIR = '/var/lib/kafka/data';
export const TOXIPROXY_CONFIG_PATH = '/config/toxiproxy.json';
/** @default 512 — per broker, as in the local backend. */
export const DEFAULT_DOCKER_HEAP_MB = 512;
/**
 * Read by both apache/kafka's start script and the offline image's (never turned into a broker
 * property): the local backend's GC and JIT flags (broker-jvm.ts), so both backends' brokers run
 * the same JVM. Not its class-data archive: that is made per host JDK and jars.
 */
export const KAFKA_JVM_OPTS = [...BROKER_JVM_FLAGS, ...BROKER_JIT_FLAGS].join(' ');
/** Marks a Kafka container ready (KafkaRaftServer, once the broker has caught up with the quorum). */
export const KAFKA_READY_LOG = /Kafka Server started/;
/** Fixed KRaft cluster id of docker-compose.yml (a base64url UUID: 16 bytes); the docker backend draws a fresh one per start. */
export const COMPOSE_CLUSTER_ID = Buffer.from('kchaos-compose-1').toString('base64url');
/** Where docker-compose.yml mounts the Toxiproxy config from (relative to the compose file). */
export const COMPOSE_TOXIPROXY_CONFIG = './docker/toxiproxy.json';
export const COMPOSE_PROJECT = 'kafka-chaos-harness';
export const COMPOSE_NETWORK = 'kchaos';

/** Host ports (all on 127.0.0.1) plus the replication proxies' ports inside the Toxiproxy container. */
export interface DockerPortPlan {
  /** Toxiproxy API, published 1:1. */
  toxiproxyApi: number;
  brokers: Array<{
    id: number;
    /** Host port published to the broker's DIRECT listener (container port 9092). */
    direct: number;
    /** Listen port of proxy kN, published 1:1: what PROXIED is advertised as. */
    proxy: number;
    /** Listen port of proxy kN-replication inside the Toxiproxy container; not published. */
    replicationProxy: number;
    /**
     * Client lanes 2… (`--parallel`): the listen port of proxy kN-lane<n>, published 1:1, where the
     * broker's PROXIED_L<n> listener is advertised. Absent: one lane (PROXIED behind kN).
     */
    extraLanes?: Array<{ proxy: number }>;
  }>;
}

/** The fixed ports of docker-compose.yml, for exploring by hand: DIRECT 19092-19094, proxies 29092-29094, API 8474. */
export const COMPOSE_PORTS: DockerPortPlan = {
  toxiproxyApi: 8474,
  brokers: BROKER_IDS.map((id) => ({ id, direct: 19091 + id, proxy: 29091 + id, replicationProxy: 39091 + id })),
};

/** Number of ports `portPlanFrom` needs for one client lane. */
export const PORTS_NEEDED = 1 + BROKER_IDS.length * 3;

/** Number of ports `portPlanFrom` needs for `lanes` client lanes: one more proxy port per broker per extra lane. */
export const portsNeeded = (lanes = 1) => PORTS_NEEDED + BROKER_IDS.length * (lanes - 1);

/**
 * A plan from distinct free ports. The replication proxies take ports from the same pool although
 * they are not published: every port the Toxiproxy container listens on must differ, and the
 * proxies' ports (equal to host ports) could otherwise meet them.
 */
export function portPlanFrom(ports: number[], lanes = 1): DockerPortPlan {
  if (ports.length < portsNeeded(lanes) || new Set(ports).size !== ports.length) {
    throw new Error(`portPlanFrom needs ${portsNeeded(lanes)} distinct ports, got ${JSON.stringify(ports)}`);
  }
  const laneProxyPort = (broker: number, extraLane: number) => ports[PORTS_NEEDED + extraLane * BROKER_IDS.length + broker];
  return {
    toxiproxyApi: ports[0],
    brokers: BROKER_IDS.map((id, i) => ({
      id, direct: ports[1 + i * 3], proxy: ports[2 + i * 3], replicationProxy: ports[3 + i * 3],
      // Only with lanes: a one-lane plan (and so docker-compose.yml) is exactly what it was.
      ...(lanes > 1 ? { extraLanes: Array.from({ length: lanes - 1 }, (_, l) => ({ proxy: laneProxyPort(i, l) })) } : {}),
    })),
  };
}

/** The lane number of a plan broker's i-th extra lane (0-based): 2, 3, … */
const extraLaneNumber = (i: number) => FIRST_LANE + 1 + i;

export const brokerHost = (id: number) => `k${id}`;

/** The listener plan's addresses in docker (see the top of this file). */
export function dockerListenerEndpoints(plan: DockerPortPlan): ListenerEndpoints[] {
  const p = KAFKA_CONTAINER_PORTS;
  return plan.brokers.map((b) => ({
    id: b.id,
    bind: { controller: `0.0.0.0:${p.controller}`, internal: `0.0.0.0:${p.internal}`, direct: `0.0.0.0:${p.direct}`, proxied: `0.0.0.0:${p.proxied}` },
    advertised: {
      internal: `${TOXIPROXY_HOST}:${b.replicationProxy}`,
      direct: `${LOOPBACK}:${b.direct}`,
      proxied: `${LOOPBACK}:${b.proxy}`,
    },
    controller: `${brokerHost(b.id)}:${p.controller}`,
    ...(b.extraLanes ? { extraLanes: b.extraLanes.map((lane, i) => ({ bind: `0.0.0.0:${laneContainerPort(extraLaneNumber(i))}`, advertised: `${LOOPBACK}:${lane.proxy}` })) } : {}),
  }));
}

/**
 * A broker property as the apache/kafka image reads it from the environment: KAFKA_ prefix,
 * upper case, '.' → '_', '_' → '__', '-' → '___' (docker/examples/README.md of apache/kafka).
 */
export function kafkaEnvName(property: string): string {
  const encoded = property.replace(/[._-]/g, (c) => ({ '.': '_', _: '__', '-': '___' })[c as '.' | '_' | '-']);
  return `KAFKA_${encoded.toUpperCase()}`;
}

/** Broker settings as container environment. */
export function kafkaEnvironment(settings: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [kafkaEnvName(key), String(value)]));
}

/** One entry of Toxiproxy's -config file (the same fields as its POST /proxies). */
export interface ToxiproxyProxyConfig {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

/**
 * Proxies kN (→ PROXIED) and kN-replication (→ INTERNAL), as in the local backend; with lanes, then
 * kN-lane<n> (→ PROXIED_L<n>), also as in the local backend (lane-proxies.ts).
 */
export function toxiproxyConfig(plan: DockerPortPlan): ToxiproxyProxyConfig[] {
  return [
    ...plan.brokers.flatMap((b) => [
      { name: `k${b.id}`, listen: `0.0.0.0:${b.proxy}`, upstream: `${brokerHost(b.id)}:${KAFKA_CONTAINER_PORTS.proxied}`, enabled: true },
      { name: `k${b.id}-replication`, listen: `0.0.0.0:${b.replicationProxy}`, upstream: `${brokerHost(b.id)}:${KAFKA_CONTAINER_PORTS.internal}`, enabled: true },
    ]),
    ...plan.brokers.flatMap((b) => (b.extraLanes ?? []).map((lane, i) => (
      { name: laneProxyName(b.id, extraLaneNumber(i)), listen: `0.0.0.0:${lane.proxy}`, upstream: `${brokerHost(b.id)}:${laneContainerPort(extraLaneNumber(i))}`, enabled: true }))),
  ];
}

export function toxiproxyConfigJson(plan: DockerPortPlan): string {
  return `${JSON.stringify(toxiproxyConfig(plan), null, 2)}\n`;
}

export interface PortBinding {
  hostIp: typeof LOOPBACK;
  host: number;
  container: number;
}

/** One container, in terms both testcontainers and docker compose can express. */
export interface ContainerDefinition {
  /** Service name, hostname and network alias. */
  name: string;
  image: string;
  environment: Record<string, string>;
  /** Arguments after the image's entrypoint; undefined keeps the image's CMD. */
  command?: string[];
  ports: PortBinding[];
  /** Files the container reads: the docker backend copies `content` in; compose mounts `composeSource`. */
  files: Array<{ target: string; content: string; composeSource: string }>;
  /** Services to start first. */
  dependsOn: string[];
}

export interface DockerTopology {
  plan: DockerPortPlan;
  endpoints: ListenerEndpoints[];
  toxiproxy: ContainerDefinition;
  brokers: ContainerDefinition[];
}

export interface DockerTopologyOptions {
  /** @default KAFKA_IMAGE */
  kafkaImage?: string;
  /** @default TOXIPROXY_IMAGE */
  toxiproxyImage?: string;
  /** KRaft cluster id (base64url of 16 bytes). */
  clusterId: string;
  /** @default 512 */
  heapMb?: number;
}

/** The image for a Kafka version: the pinned tag for the default version, apache/kafka:<version> otherwise. */
export function kafkaImageFor(kafkaVersion: string = DEFAULT_KAFKA_VERSION): string {
  return kafkaVersion === DEFAULT_KAFKA_VERSION ? KAFKA_IMAGE : `${KAFKA_IMAGE_REPOSITORY}:${kafkaVersion}`;
}

const loopback = (host: number, container: number): PortBinding => ({ hostIp: LOOPBACK, host, container });

export function dockerTopology(plan: DockerPortPlan, options: DockerTopologyOptions): DockerTopology {
  const endpoints = dockerListenerEndpoints(plan);
  const heapMb = options.heapMb ?? DEFAULT_DOCKER_HEAP_MB;
  const toxiproxy: ContainerDefinition = {
    name: TOXIPROXY_HOST,
    image: options.toxiproxyImage ?? TOXIPROXY_IMAGE,
    environment: {},
    // Giving a command replaces the image's CMD (-host=0.0.0.0), so -host is repeated here.
    command: ['-host=0.0.0.0', `-port=${plan.toxiproxyApi}`, `-config=${TOXIPROXY_CONFIG_PATH}`],
    ports: [
      loopback(plan.toxiproxyApi, plan.toxiproxyApi),
      ...plan.brokers.map((b) => loopback(b.proxy, b.proxy)),
      ...plan.brokers.flatMap((b) => (b.extraLanes ?? []).map((lane) => loopback(lane.proxy, lane.proxy))),
    ],
    files: [{ target: TOXIPROXY_CONFIG_PATH, content: toxiproxyConfigJson(plan), composeSource: COMPOSE_TOXIPROXY_CONFIG }],
    dependsOn: [],
  };
  const brokers = endpoints.map((e, i): ContainerDefinition => ({
    name: brokerHost(e.id),
    image: options.kafkaImage ?? KAFKA_IMAGE,
    environment: {
      CLUSTER_ID: options.clusterId,
      KAFKA_HEAP_OPTS: `-Xms${Math.min(128, heapMb)}m -Xmx${heapMb}m`,
      // The local backend's JVM flags instead of the image's G1 defaults: three brokers share a few
      // cores, and G1's concurrent threads slowed KRaft elections into flapping on two busy cores.
      KAFKA_JVM_PERFORMANCE_OPTS: KAFKA_JVM_OPTS,
      ...kafkaEnvironment(brokerSettings(e, endpoints, KAFKA_DATA_DIR)),
    },
    ports: [loopback(plan.brokers[i].direct, KAFKA_CONTAINER_PORTS.direct)],
    files: [],
    dependsOn: [TOXIPROXY_HOST],
  }));
  return { plan, endpoints, toxiproxy, brokers };
}

/** The topology of docker-compose.yml. */
export function composeTopology(): DockerTopology {
  return dockerTopology(COMPOSE_PORTS, { clusterId: COMPOSE_CLUSTER_ID });
}

const quote = (value: string) => JSON.stringify(value); // a JSON string is a YAML double-quoted scalar
const flowList = (values: string[]) => `[${values.map(quote).join(', ')}]`;

function composeService(c: ContainerDefinition): string[] {
  // The image can be swapped without editing the file, as --kafka-image / --toxiproxy-image do for
  // the docker backend: compose fills ${VAR:-default} from the environment (e.g. the offline images).
  const imageVar = c.name === TOXIPROXY_HOST ? TOXIPROXY_IMAGE_ENV : KAFKA_IMAGE_ENV;
  const lines = [`  ${c.name}:`, `    image: ${quote(`\${${imageVar}:-${c.image}}`)}`, `    hostname: ${c.name}`];
  if (c.command) lines.push(`    command: ${flowList(c.command)}`);
  if (c.dependsOn.length > 0) lines.push(`    depends_on: ${flowList(c.dependsOn)}`);
  const env = Object.entries(c.environment);
  if (env.length > 0) lines.push('    environment:', ...env.map(([k, v]) => `      ${k}: ${quote(v)}`));
  if (c.ports.length > 0) lines.push('    ports:', ...c.ports.map((p) => `      - ${quote(`${p.hostIp}:${p.host}:${p.container}`)}`));
  if (c.files.length > 0) lines.push('    volumes:', ...c.files.map((f) => `      - ${quote(`${f.composeSource}:${f.target}:ro`)}`));
  lines.push(`    networks: ${flowList([COMPOSE_NETWORK])}`);
  return lines;
}

/** docker-compose.yml, text (the committed file must equal this; see docker/generate-compose.ts). */
export function composeYaml(topology: DockerTopology = composeTopology()): string {
  const p = topology.plan;
  return [
    '# GENERATED from harness/cluster/docker-definitions.ts by `npx tsx docker/generate-compose.ts`: do not edit by hand.',
    '# The local backend\'s topology for people who use Docker: three KRaft brokers and one Toxiproxy.',
    `#   DIRECT (verifier, admin):   ${p.brokers.map((b) => `127.0.0.1:${b.direct}`).join(',')}`,
    `#   PROXIED (producer, via Toxiproxy proxies k1..k3): ${p.brokers.map((b) => `127.0.0.1:${b.proxy}`).join(',')}`,
    `#   Toxiproxy API:              http://127.0.0.1:${p.toxiproxyApi}`,
    '# Every port is published on 127.0.0.1 only.',
    '# Images: apache/kafka and Toxiproxy unless KCHAOS_KAFKA_IMAGE / KCHAOS_TOXIPROXY_IMAGE name others',
    '# (e.g. the offline ones `kchaos docker build-images` builds: kchaos/kafka:4.3.1, kchaos/toxiproxy:2.12.0).',
    '# No top-level `name:` (Compose 1.29 rejects it; Compose v2 accepts the file without it): pass the project name.',
    `#   docker compose -p ${COMPOSE_PROJECT} up -d        (Compose v2; or docker-compose -p ${COMPOSE_PROJECT} up -d with 1.29)`,
    `#   kchaos run seed --backend external --bootstrap ${p.brokers.map((b) => `127.0.0.1:${b.direct}`).join(',')} --toxiproxy http://127.0.0.1:${p.toxiproxyApi}`,
    `#   docker compose -p ${COMPOSE_PROJECT} down -v      (containers, network and anonymous volumes)`,
    'services:',
    ...[topology.toxiproxy, ...topology.brokers].flatMap(composeService),
    'networks:',
    `  ${COMPOSE_NETWORK}:`,
    '    driver: bridge',
    '',
  ].join('\n');
}
