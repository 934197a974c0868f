import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { GenericContainer, StartedNetwork, StartedTestContainer } from 'testcontainers';
import { Toxiproxy } from 'toxiproxy-node-client';
import { HarnessError } from '../errors';
import { onShutdown } from '../process/child-processes';
import { DEFAULT_KAFKA_VERSION } from '../provision/kafka-jars';
import { KAFKA_IMAGE_ENV, TOXIPROXY_IMAGE_ENV } from '../docker-images/image-names';
import { ensureImages } from './docker-image-check';
import { ownerLabels } from './docker-owner-labels';
import { BrokerContainer, dockerProcessControl } from './docker-process-control';
import { reapOrphanContainers, runDockerSync } from './docker-reaper';
import { ContainerDefinition, DockerTopology, dockerTopology, KAFKA_READY_LOG, kafkaImageFor, portPlanFrom, portsNeeded } from './docker-definitions';
import { checkLaneCount } from '../lanes/lane-proxies';
import type { ClusterLane } from '../lanes/cluster-lane';
import { FIRST_LANE, laneProxyName } from '../lanes/lane-names';
import { LOOPBACK } from './broker-config';
import { freePorts } from './free-ports';
import { logTail } from './log-tail';
import { StartedCluster, TopicOptions } from './started-cluster';
import { TopicAdmin } from './topic-admin';

/**
 * @default 300000 — three Kafka containers on two cores shared with other work; image pulls come
 * before and are not counted. 120 s was measured too short here: at load average 26–36 a container's
 * JVM took 20 s to its signal handlers and 60 s to its controller listener, and no quorum formed in 120 s.
 */
const DEFAULT_STARTUP_TIMEOUT_MS = 300_000;
/** @default 30000 — the Toxiproxy API answering. */
const TOXIPROXY_STARTUP_TIMEOUT_MS = 30_000;
/** @default 10 — seconds a Kafka container gets to shut down before it is killed. */
const CONTAINER_STOP_TIMEOUT_S = 10;
const READINESS_TOPIC = '__kchaos_ready';
/** Hosts at which a container runtime publishes ports on this machine's loopback. */
const LOCAL_RUNTIME_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

/** Which start a container belongs to (its work folder's name), so a failed start removes all of its own. */
const CLUSTER_LABEL = 'io.kchaos.cluster';

function removeContainersLabelled(filter: string): void {
  const ids = runDockerSync(['ps', '-a', '-q', '--filter', `label=${filter}`]).output.split('\n').filter(Boolean);
  if (ids.length > 0) runDockerSync(['rm', '-f', '-v', ...ids]);
}

export const NO_ENGINE_HINT = 'start Docker (dockerd, Docker Desktop, Colima, Podman with its Docker socket) or use --backend local';

export interface DockerClusterOptions {
  /** Folder for the containers' logs. @default a fresh folder under runs/ */
  workDir?: string;
  /** Selects the image apache/kafka:<version>. @default DEFAULT_KAFKA_VERSION (image KAFKA_IMAGE) */
  kafkaVersion?: string;
  /** Overrides the Kafka image (`--kafka-image`). @default KCHAOS_KAFKA_IMAGE, else kafkaImageFor(kafkaVersion) (apache/kafka) */
  kafkaImage?: string;
  /** `--toxiproxy-image`. @default KCHAOS_TOXIPROXY_IMAGE, else TOXIPROXY_IMAGE (ghcr.io/shopify/toxiproxy) */
  toxiproxyImage?: string;
  /** @default 512 */
  heapMb?: number;
  /** @default 300000 (DEFAULT_STARTUP_TIMEOUT_MS) */
  startupTimeoutMs?: number;
  /** Progress lines. @default stderr */
  log?: (line: string) => void;
  /**
   * Client lanes (`kchaos run --parallel N`), as on the local backend: lane n ≥ 2 adds a
   * PROXIED_L<n> listener to every broker, advertised at its own proxy k<id>-lane<n> whose port is
   * published on 127.0.0.1. @default 1
   */
  lanes?: number;
}

type Testcontainers = typeof import('testcontainers');

/** Ports are chosen free, then published: another program may take one in between (rare). */
function startFailureHint(error: unknown, workDir: string): string {
  return /already allocated|address already in use/i.test(String(error)) ? 'a chosen port was taken meanwhile: start again (new ports are chosen)' : `container logs are in ${workDir}`;
}

/**
 * testcontainers, loaded on first use only: the local backend never pays for it (it takes ~1.5 s to
 * load). Its reaper (Ryuk) is switched off unless the user set TESTCONTAINERS_RYUK_DISABLED: Ryuk is
 * an image to pull, which fails where no registry is reachable; the harness labels what it creates
 * with its pid and removes it itself (on stop, Ctrl-C, SIGTERM, and after a crash at the next start).
 */
async function loadTestcontainers(): Promise<Testcontainers> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  // A local engine (no DOCKER_HOST, or a unix socket): the harness publishes every port on
  // 127.0.0.1, so that is the host to reach them. Without this, testcontainers running where a
  // /.dockerenv exists (a CI sandbox that is itself a container) picks the bridge gateway
  // (172.17.0.1) and the start is refused below.
  const dockerHost = process.env.DOCKER_HOST;
  if (!dockerHost || dockerHost.startsWith('unix://')) process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  try {
    return await import('testcontainers');
  } catch (error) {
    throw new HarnessError('the docker backend needs the testcontainers package, which cannot be loaded', { cause: error, hint: 'run npm install, or use --backend local' });
  }
}

/**
 * The docker backend: docker-definitions.ts's containers started with testcontainers, behind the
 * same StartedCluster interface as the local backend. Every container and the network carry the
 * owner labels (docker-owner-labels.ts): stop(), Ctrl-C and SIGTERM remove them, and after a crash
 * the next start's reaper does. Process faults go through the engine (docker-process-control.ts).
 */
export class DockerClusterSpec {
  constructor(private readonly options: DockerClusterOptions = {}) {}

  async start(): Promise<StartedCluster> {
    const log = this.options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const tc = await loadTestcontainers();
    const runtime = await tc.getContainerRuntimeClient().catch((error: unknown) => {
      throw new HarnessError(`--backend docker: no Docker engine answers (${error instanceof Error ? error.message : String(error)})`, { cause: error, hint: NO_ENGINE_HINT });
    });
    reapOrphanContainers(log);
    const runtimeHost = runtime.info.containerRuntime.host;
    if (!LOCAL_RUNTIME_HOSTS.has(runtimeHost)) {
      throw new HarnessError(`--backend docker: the Docker engine publishes ports on ${runtimeHost}, not on this machine's 127.0.0.1`, {
        hint: 'brokers advertise 127.0.0.1:<port> to the producer, so the engine must run on this machine; or run docker-compose.yml on that host and use --backend external',
      });
    }

    checkLaneCount(this.options.lanes);
    const lanes = this.options.lanes ?? 1;
    const kafkaVersion = this.options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
    const workDir = path.resolve(this.options.workDir ?? path.join('runs', `cluster-docker-${Date.now()}-${process.pid}`));
    fs.mkdirSync(workDir, { recursive: true });
    const topology = dockerTopology(portPlanFrom(await freePorts(portsNeeded(lanes)), lanes), {
      kafkaImage: this.options.kafkaImage || process.env[KAFKA_IMAGE_ENV] || kafkaImageFor(kafkaVersion),
      toxiproxyImage: this.options.toxiproxyImage || process.env[TOXIPROXY_IMAGE_ENV] || undefined,
      clusterId: crypto.randomBytes(16).toString('base64url'),
      heapMb: this.options.heapMb,
    });

    // Before any container or network exists: an image that cannot be had stops the start here.
    await ensureImages([topology.toxiproxy.image, ...topology.brokers.map((b) => b.image)], {
      exists: (image) => runtime.image.exists(tc.ImageName.fromString(image)),
      pull: (image) => runtime.image.pull(tc.ImageName.fromString(image)),
    }, kafkaVersion, log);

    const clusterLabel = path.basename(workDir);
    const started: StartedTestContainer[] = [];
    let network: StartedNetwork | undefined;
    const stopContainers = async () => {
      // Paused containers cannot be stopped: unpause first (a pause fault left on by a crash of the run).
      await Promise.allSettled(started.map((c) => runtime.container.getById(c.getId()).unpause().catch(() => {})));
      await Promise.allSettled(started.map((c) => c.stop({ timeout: CONTAINER_STOP_TIMEOUT_S, removeVolumes: true })));
      await network?.stop().catch(() => {});
    };
    const removeShutdownHook = onShutdown(stopContainers); // Ctrl-C / SIGTERM: containers and network removed before exit
    try {
      const startedAtMs = Date.now();
      log(`cluster: starting ${topology.brokers[0].image} (3 containers) and ${topology.toxiproxy.image} with Docker${lanes > 1 ? ` (${lanes} client lanes)` : ''}; logs in ${workDir}`);
      network = await startLabelledNetwork(tc, runtime);
      const onNetwork = network;
      const build = (def: ContainerDefinition) => containerFor(tc, def, onNetwork, path.join(workDir, `${def.name}.log`)).withLabels({ ...ownerLabels(), [CLUSTER_LABEL]: clusterLabel });

      const toxiproxyContainer = await build(topology.toxiproxy)
        .withWaitStrategy(tc.Wait.forHttp('/version', topology.plan.toxiproxyApi))
        .withStartupTimeout(TOXIPROXY_STARTUP_TIMEOUT_MS)
        .start();
      started.push(toxiproxyContainer);

      // All three at once: none reports "started" before a quorum of controllers is up.
      const timeoutMs = this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
      const brokerResults = await Promise.allSettled(topology.brokers.map((def) =>
        build(def).withWaitStrategy(tc.Wait.forLogMessage(KAFKA_READY_LOG)).withStartupTimeout(timeoutMs).start()));
      for (const r of brokerResults) if (r.status === 'fulfilled') started.push(r.value);
      const failed = brokerResults.findIndex((r) => r.status === 'rejected');
      if (failed >= 0) {
        const name = topology.brokers[failed].name;
        const reason = (brokerResults[failed] as PromiseRejectedResult).reason;
        throw new HarnessError(`Kafka container ${name} did not start: ${reason instanceof Error ? reason.message : String(reason)}; last lines of ${path.join(workDir, `${name}.log`)}:\n${logTail(path.join(workDir, `${name}.log`))}`, { cause: reason, hint: startFailureHint(reason, workDir) });
      }

      const brokerContainers: BrokerContainer[] = topology.brokers.map((def, i) => {
        const container = (brokerResults[i] as PromiseFulfilledResult<StartedTestContainer>).value; // all fulfilled: a failure threw above
        return { id: topology.endpoints[i].id, container: runtime.container.getById(container.getId()), direct: topology.endpoints[i].advertised.direct, logFile: path.join(workDir, `${def.name}.log`) };
      });
      const cluster = await this.connect(topology, kafkaVersion, workDir, async () => {
        removeShutdownHook();
        await stopContainers();
      }, timeoutMs, brokerContainers);
      log(`cluster: ready in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s (docker)`);
      return cluster;
    } catch (error) {
      removeShutdownHook();
      await stopContainers();
      // A container whose wait failed is not in `started`: remove every container of this start, with its volumes.
      removeContainersLabelled(`${CLUSTER_LABEL}=${clusterLabel}`);
      if (error instanceof HarnessError) throw error;
      throw new HarnessError(`the docker cluster did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error, hint: startFailureHint(error, workDir) });
    }
  }

  private async connect(topology: DockerTopology, kafkaVersion: string, workDir: string, stopContainers: () => Promise<void>, timeoutMs: number, brokerContainers: BrokerContainer[]): Promise<StartedCluster> {
    const directBootstrap = topology.endpoints.map((e) => e.advertised.direct).join(',');
    const ids = topology.endpoints.map((e) => e.id);
    const admin = new TopicAdmin(directBootstrap, ids);
    try {
      await admin.waitForLiveBrokers(timeoutMs);
      await admin.createTopic(READINESS_TOPIC, { partitions: 3, minInsyncReplicas: 1 });
    } catch (error) {
      await admin.close();
      throw error;
    }
    const toxiproxyUrl = `http://127.0.0.1:${topology.plan.toxiproxyApi}`;
    const toxiproxy = new Toxiproxy(toxiproxyUrl);
    const proxies = await toxiproxy.getAll();
    const brokers = topology.endpoints.map((e) => ({
      id: e.id,
      name: `k${e.id}`,
      direct: e.advertised.direct,
      proxied: e.advertised.proxied,
      proxy: proxies[`k${e.id}`],
      replicationProxy: proxies[`k${e.id}-replication`],
    }));
    // Lane 1 is kN; lanes 2… are the kN-lane<n> proxies the Toxiproxy container was configured with.
    const lanes: ClusterLane[] = [{ index: FIRST_LANE, brokers: brokers.map((b) => ({ id: b.id, proxied: b.proxied, proxy: b.proxy })) }];
    const extraLanes = topology.plan.brokers[0].extraLanes ?? [];
    extraLanes.forEach((_, i) => {
      const index = FIRST_LANE + 1 + i;
      lanes.push({ index, brokers: topology.plan.brokers.map((b) => ({ id: b.id, proxied: `${LOOPBACK}:${b.extraLanes![i].proxy}`, proxy: proxies[laneProxyName(b.id, index)] })) });
    });
    let stopped = false;
    return {
      ...dockerProcessControl(brokerContainers),
      backend: 'docker',
      kafkaVersion,
      directBootstrap,
      proxiedBootstrap: brokers.map((b) => b.proxied).join(','),
      toxiproxyUrl,
      toxiproxy,
      brokers,
      lanes,
      workDir,
      createTopic: (name: string, options?: TopicOptions) => admin.createTopic(name, options),
      deleteTopic: (name: string) => admin.deleteTopic(name),
      partitionState: (name: string) => admin.partitionState(name),
      resetProxies: () => toxiproxy.reset(),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await admin.close();
        await stopContainers();
      },
    };
  }
}

/**
 * A GenericContainer for a definition. Ports are published on 127.0.0.1 only: testcontainers'
 * withExposedPorts({container, host}) binds all interfaces, so the bindings get a HostIp here
 * (docker-cluster.test.ts checks the result against the pinned testcontainers version).
 */
export function containerFor(tc: Testcontainers, def: ContainerDefinition, network: StartedNetwork, logFile: string): GenericContainer {
  class LoopbackContainer extends tc.GenericContainer {
    bindToLoopback(): this {
      for (const p of def.ports) {
        this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${p.container}/tcp`]: [{ HostIp: p.hostIp, HostPort: String(p.host) }] };
      }
      return this;
    }
  }
  const container = new LoopbackContainer(def.image)
    .withNetwork(network)
    .withNetworkAliases(def.name)
    .withHostname(def.name)
    .withEnvironment(def.environment)
    .withLabels(ownerLabels())
    .withExposedPorts(...def.ports.map((p) => ({ container: p.container, host: p.host })))
    .bindToLoopback()
    .withLogConsumer((stream) => stream.pipe(fs.createWriteStream(logFile, { flags: 'a' })));
  if (def.command) container.withCommand(def.command);
  if (def.files.length > 0) container.withCopyContentToContainer(def.files.map((f) => ({ content: f.content, target: f.target })));
  return container;
}

/** A bridge network like testcontainers' own, plus the owner labels, so the reaper finds it after a crash. */
async function startLabelledNetwork(tc: Testcontainers, runtime: Awaited<ReturnType<Testcontainers['getContainerRuntimeClient']>>): Promise<StartedNetwork> {
  const name = `kchaos-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const network = await runtime.network.create({ Name: name, CheckDuplicate: true, Driver: 'bridge', Labels: { 'org.testcontainers': 'true', ...ownerLabels() } });
  return new tc.StartedNetwork(runtime, name, network);
}

export function startDockerCluster(options?: DockerClusterOptions): Promise<StartedCluster> {
  return new DockerClusterSpec(options).start();
}
