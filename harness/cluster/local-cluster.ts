import fs from 'node:fs';
import path from 'node:path';
import type { Proxy } from 'toxiproxy-node-client';
import { HarnessError } from '../errors';
import { ManagedChild, onShutdown, spawnManaged, stopManaged } from '../process/child-processes';
import { isAlive, signalGroup } from '../process/process-liveness';
import { reapOrphans } from '../process/reaper';
import { setup } from '../provision/setup';
import { KafkaInstall } from '../provision/kafka-jars';
import { BrokerPorts, brokerProperties, log4j2Properties, log4jProperties, LOOPBACK } from './broker-config';
import { freePorts } from './free-ports';
import { logTail } from './log-tail';
import { brokerJvmArgs } from './broker-jvm';
import { BrokerHandle, BrokerStopSignal, StartedCluster, TopicOptions } from './started-cluster';
import { startToxiproxy } from './toxiproxy-process';
import { formatStorage } from './storage-template';
import { TopicAdmin } from './topic-admin';
import { errorText } from './error-text';
import { StopWaiting, waitUntil } from './wait-until';
import { liveBrokerIdsSeenBy } from './live-broker-ids';
import { checkLaneCount, createLaneProxies } from '../lanes/lane-proxies';

/** @default 60000 — three JVMs on two cores need ~4-7 s (class archive, C1 only; 10 starts at load 10-13: p50 5.3 s, p95 6.9 s). */
const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** Raises the start-up timeout without code, for a machine busy with other work (ms). */
export const STARTUP_TIMEOUT_ENV = 'KCHAOS_STARTUP_TIMEOUT_MS';

/** The option, else the environment's, else the default; a malformed environment value is one clear error. */
function startupTimeoutMs(option: number | undefined): number {
  if (option !== undefined) return option;
  const raw = process.env[STARTUP_TIMEOUT_ENV];
  if (raw === undefined || raw === '') return DEFAULT_STARTUP_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new HarnessError(`${STARTUP_TIMEOUT_ENV}=${raw} is not a positive number of milliseconds`, { hint: `e.g. ${STARTUP_TIMEOUT_ENV}=180000, or unset it` });
  return value;
}
/** @default 512 — per broker; the brokers hold little data in a scenario. */
const DEFAULT_HEAP_MB = 512;
const BROKER_IDS = [1, 2, 3];
const READINESS_TOPIC = '__kchaos_ready';
/** Ports per broker: controller, internal, direct, proxied, proxy, replication proxy; then 2 per extra lane. */
const PORTS_PER_BROKER = 6;
const PORTS_PER_EXTRA_LANE = 2;
/** @default 30000 — SIGTERM (controlled shutdown) before SIGKILL, when stopping one broker. */
const DEFAULT_BROKER_STOP_GRACE_MS = 30_000;
/**
 * @default 180000 — a restarted broker replays its log and the metadata log before registering; at
 * load 30 on 2 cores a killed broker's JVM took 91 s to start (consumer broker-kill rows, 60 s timed out).
 */
const BROKER_RESTART_TIMEOUT_MS = 180_000;

export interface LocalClusterOptions {
  /** Folder for broker configs, logs and data. @default a fresh folder under runs/ */
  workDir?: string;
  /** @default DEFAULT_KAFKA_VERSION */
  kafkaVersion?: string;
  /** @default 512 */
  heapMb?: number;
  /** @default env KCHAOS_STARTUP_TIMEOUT_MS, else 60000 */
  startupTimeoutMs?: number;
  /** Progress lines (set-up, start). @default stderr */
  log?: (line: string) => void;
  /**
   * Client lanes (`kchaos run --parallel N`): lane n ≥ 2 adds a PROXIED_L<n> listener to every
   * broker, advertised at its own proxy k<id>-lane<n>, so scenarios in different lanes fault their
   * own links only. @default 1 (the cluster of before: PROXIED and k1, k2, k3 only)
   */
  lanes?: number;
}

/** The local backend: three Kafka JVMs (KRaft, broker+controller) and one toxiproxy-server. */
export class LocalClusterSpec {
  constructor(private readonly options: LocalClusterOptions = {}) {}

  async start(): Promise<StartedCluster> {
    const log = this.options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    startupTimeoutMs(this.options.startupTimeoutMs); // a malformed environment value stops here, before anything starts
    checkLaneCount(this.options.lanes);
    reapOrphans(log);
    const { kafka, toxiproxyServer, brokerClassArchive } = await setup({ kafkaVersion: this.options.kafkaVersion, log });
    const workDir = path.resolve(this.options.workDir ?? path.join('runs', `cluster-${Date.now()}-${process.pid}`));
    fs.mkdirSync(workDir, { recursive: true });
    fs.rmSync(path.join(workDir, 'data'), { recursive: true, force: true }); // every start is a fresh cluster

    const children: ManagedChild[] = [];
    // The whole cluster goes and its data is deleted next, so the brokers get SIGKILL at once. With
    // SIGTERM first, no stop of the three together finished inside a 3 s grace: each took 3.05 s,
    // now 0.08 s (docs/measured/cluster-stops-2026-12-01.json).
    const stopChildren = async () => {
      await Promise.all(children.filter((c) => c.name !== 'toxiproxy').map((c) => stopManaged(c, 0)));
      await Promise.all(children.filter((c) => c.name === 'toxiproxy').map((c) => stopManaged(c)));
    };
    const removeShutdownHook = onShutdown(stopChildren);
    const startedAtMs = Date.now();
    try {
      return await this.boot(kafka, toxiproxyServer, brokerClassArchive, workDir, children, log, async () => {
        removeShutdownHook();
        await stopChildren();
        fs.rmSync(path.join(workDir, 'data'), { recursive: true, force: true });
      });
    } catch (error) {
      removeShutdownHook();
      await stopChildren();
      throw this.startError(error, workDir, Date.now() - startedAtMs);
    }
  }

  /** Every failed start says why (the underlying error's text) and where to look (the logs). */
  private startError(error: unknown, workDir: string, elapsedMs: number): HarnessError {
    const logs = BROKER_IDS.map((id) => `k${id}.log`).join(', ');
    return new HarnessError(`the local cluster did not start (gave up after ${(elapsedMs / 1000).toFixed(1)} s): ${errorText(error)}`, {
      cause: error,
      hint: `look in ${workDir}: broker logs ${logs} (and kN.stdout.log), toxiproxy.log; on a busy machine raise the start-up timeout (now ${startupTimeoutMs(this.options.startupTimeoutMs)} ms) with ${STARTUP_TIMEOUT_ENV} or the startupTimeoutMs option`,
    });
  }

  private async boot(
    kafka: KafkaInstall,
    toxiproxyServer: string,
    classArchive: string | undefined,
    workDir: string,
    children: ManagedChild[],
    log: (line: string) => void,
    stop: () => Promise<void>,
  ): Promise<StartedCluster> {
    const startedAtMs = Date.now();
    const lanes = this.options.lanes ?? 1;
    const perBroker = PORTS_PER_BROKER + PORTS_PER_EXTRA_LANE * (lanes - 1);
    const ports = await freePorts(BROKER_IDS.length * perBroker + 1);
    const brokers: BrokerPorts[] = BROKER_IDS.map((id, i) => {
      const mine = ports.slice(i * perBroker, (i + 1) * perBroker);
      const [controller, internal, direct, proxied, proxy, replicationProxy] = mine;
      const extra = mine.slice(PORTS_PER_BROKER);
      const extraLanes = Array.from({ length: lanes - 1 }, (_, l) => ({ proxied: extra[2 * l], proxy: extra[2 * l + 1] }));
      return { id, controller, internal, direct, proxied, proxy, replicationProxy, ...(extraLanes.length > 0 ? { extraLanes } : {}) };
    });

    const toxiproxy = await startToxiproxy(toxiproxyServer, ports[ports.length - 1], workDir);
    children.push(toxiproxy.child);
    const proxies = new Map<number, Proxy>();
    const replicationProxies = new Map<number, Proxy>();
    for (const b of brokers) {
      proxies.set(b.id, await toxiproxy.client.createProxy({
        name: `k${b.id}`,
        listen: `${LOOPBACK}:${b.proxy}`,
        upstream: `${LOOPBACK}:${b.proxied}`,
      }));
      // INTERNAL is advertised here: followers fetching from kN pass this proxy (replication link faults).
      replicationProxies.set(b.id, await toxiproxy.client.createProxy({
        name: `k${b.id}-replication`,
        listen: `${LOOPBACK}:${b.replicationProxy}`,
        upstream: `${LOOPBACK}:${b.internal}`,
      }));
    }
    const clientLanes = await createLaneProxies(toxiproxy.client, brokers, proxies);

    log(`cluster: starting Kafka ${kafka.version} (3 brokers) in ${workDir}`);
    const configs = brokers.map((b) => this.writeBrokerFiles(b, brokers, workDir, kafka));
    // Formatted once per Kafka install and broker config, then copied: see storage-template.ts.
    const storage = await formatStorage(kafka, brokers.map((b, i) => ({ nodeId: b.id, properties: configs[i].properties, dataDir: configs[i].dataDir })));
    if (storage.formatted) log(`cluster: formatted a storage template (later starts copy it)`);

    const heapMb = this.options.heapMb ?? DEFAULT_HEAP_MB;
    /** Spawns broker b's JVM; a restart calls it again: same config, same data dir. */
    const spawnBroker = (b: BrokerPorts, i: number) => {
      const { properties, logConfig, logFile } = configs[i];
      const child = spawnManaged(`k${b.id}`, 'java', brokerJvmArgs({ kafka, heapMb, properties, logConfig, logsDir: path.dirname(logFile), classArchive }), { logFile: path.join(workDir, `k${b.id}.stdout.log`), marker: properties });
      children.push(child);
      return { broker: b, child, logFile };
    };
    const jvms = brokers.map(spawnBroker);

    const directBootstrap = brokers.map((b) => `${LOOPBACK}:${b.direct}`).join(',');
    const admin = new TopicAdmin(directBootstrap, BROKER_IDS);
    await this.waitUntilReady(directBootstrap, jvms, workDir);
    log(`cluster: ready in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s`);

    const handles: BrokerHandle[] = brokers.map((b) => ({
      id: b.id,
      name: `k${b.id}`,
      direct: `${LOOPBACK}:${b.direct}`,
      proxied: `${LOOPBACK}:${b.proxy}`,
      proxy: proxies.get(b.id)!,
      replicationProxy: replicationProxies.get(b.id)!,
    }));
    let stopped = false;

    // Process control for process faults: jvms[i] always holds broker i's current process.
    const brokerPids: Record<number, number> = Object.fromEntries(jvms.map((j) => [j.broker.id, j.child.pid]));
    const jvmOf = (id: number) => {
      const index = brokers.findIndex((b) => b.id === id);
      if (index < 0) throw new HarnessError(`no broker with id ${id} in this cluster`, { hint: `brokers are ${BROKER_IDS.map((n) => `k${n}`).join(', ')}` });
      return { index, jvm: jvms[index] };
    };
    const running = (child: ManagedChild) => child.process.exitCode === null && child.process.signalCode === null && isAlive(child.pid);
    const stopBroker = async (id: number, signal: BrokerStopSignal, options: { graceMs?: number } = {}) => {
      const { jvm } = jvmOf(id);
      if (!running(jvm.child)) return;
      signalGroup(jvm.child.pid, 'SIGCONT'); // a paused broker cannot act on SIGTERM
      if (signal === 'SIGKILL') {
        signalGroup(jvm.child.pid, 'SIGKILL');
        await jvm.child.exited;
        return;
      }
      await stopManaged(jvm.child, options.graceMs ?? DEFAULT_BROKER_STOP_GRACE_MS);
    };
    const startBroker = async (id: number) => {
      const { index, jvm } = jvmOf(id);
      if (!running(jvm.child)) {
        jvms[index] = spawnBroker(brokers[index], index);
        brokerPids[id] = jvms[index].child.pid;
      } // else already running (e.g. healed twice): only wait for it to be registered
      const restarted = jvms[index];
      // Asked over the cluster, a killed broker still looks live until the controller fences it
      // (broker.session.timeout.ms); asked itself, only the new process answers, and it lists
      // itself once its registration is in its own metadata and it is unfenced.
      const direct = `${LOOPBACK}:${brokers[index].direct}`;
      const exitedEarly = () => (running(restarted.child) ? undefined : `broker k${id} exited while restarting; last lines of ${restarted.logFile}:\n${logTail(restarted.logFile)}`);
      const ready = await waitUntil(`broker k${id} registered and unfenced again`, async () => {
        const exited = exitedEarly();
        if (exited) return exited;
        return (await liveBrokerIdsSeenBy(direct)).includes(id) ? true : undefined;
      }, { timeoutMs: BROKER_RESTART_TIMEOUT_MS, intervalMs: 250, onTimeout: () => `last lines of ${restarted.logFile}:\n${logTail(restarted.logFile)}` });
      if (ready !== true) throw new HarnessError(ready);
    };
    const signalBroker = async (id: number, signal: 'SIGSTOP' | 'SIGCONT') => {
      const { jvm } = jvmOf(id);
      if (running(jvm.child)) signalGroup(jvm.child.pid, signal);
    };
    return {
      backend: 'local',
      kafkaVersion: kafka.version,
      directBootstrap: handles.map((h) => h.direct).join(','),
      proxiedBootstrap: handles.map((h) => h.proxied).join(','),
      toxiproxyUrl: toxiproxy.url,
      toxiproxy: toxiproxy.client,
      brokers: handles,
      lanes: clientLanes,
      workDir,
      brokerPids,
      stopBroker,
      startBroker,
      pauseBroker: (id: number) => signalBroker(id, 'SIGSTOP'),
      resumeBroker: (id: number) => signalBroker(id, 'SIGCONT'),
      createTopic: (name: string, options?: TopicOptions) => admin.createTopic(name, options),
      deleteTopic: (name: string) => admin.deleteTopic(name),
      partitionState: (name: string) => admin.partitionState(name),
      resetProxies: () => toxiproxy.client.reset(),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        for (const j of jvms) if (running(j.child)) signalGroup(j.child.pid, 'SIGCONT'); // paused brokers shut down too
        await admin.close();
        await stop();
      },
    };
  }

  /**
   * Ready = three registered, unfenced brokers and a readiness topic with its preferred leaders,
   * all inside one wait: brokers that have just been unfenced can still refuse a topic (the
   * controller's view lags), so creating it is retried like any other probe. A broker that exits
   * ends the wait at once, with the last lines of its log.
   */
  private async waitUntilReady(directBootstrap: string, jvms: Array<{ broker: BrokerPorts; child: ManagedChild; logFile: string }>, workDir: string): Promise<void> {
    // No kafkajs retries inside a probe: each probe ends with the broker's own error, which the
    // timeout message then quotes, and the wait (not kafkajs' back-off) decides when to try again.
    const probe = new TopicAdmin(directBootstrap, BROKER_IDS, { retries: 0 });
    const brokerDead = () => {
      const dead = jvms.find((j) => j.child.process.exitCode !== null || j.child.process.signalCode !== null);
      if (!dead) return;
      // A JVM that dies before log4j starts (bad flag, no memory) writes only to its stdout log.
      const file = logTail(dead.logFile) ? dead.logFile : path.join(workDir, `k${dead.broker.id}.stdout.log`);
      throw new StopWaiting(`broker k${dead.broker.id} exited during start-up (exit ${dead.child.process.exitCode ?? dead.child.process.signalCode}); last lines of ${file}:\n${logTail(file)}`);
    };
    try {
      await waitUntil('three registered, unfenced brokers and the readiness topic', async () => {
        brokerDead();
        const ids = await probe.liveBrokerIds();
        if (ids.length < BROKER_IDS.length) throw new Error(`${ids.length} of ${BROKER_IDS.length} brokers registered and unfenced (${ids.map((id) => `k${id}`).join(', ') || 'none'})`);
        await probe.createTopic(READINESS_TOPIC, { partitions: BROKER_IDS.length, minInsyncReplicas: 1 });
        return true;
      }, {
        timeoutMs: startupTimeoutMs(this.options.startupTimeoutMs),
        intervalMs: 250,
        onTimeout: () => `last lines of ${jvms[0].logFile}:\n${logTail(jvms[0].logFile)}`,
      });
    } finally {
      await probe.close();
    }
  }

  private writeBrokerFiles(b: BrokerPorts, all: BrokerPorts[], workDir: string, kafka: KafkaInstall) {
    const dir = path.join(workDir, `k${b.id}`);
    fs.mkdirSync(dir, { recursive: true });
    const properties = path.join(dir, 'server.properties');
    const logFile = path.join(workDir, `k${b.id}.log`);
    const logConfig = path.join(dir, kafka.logging === 'log4j2' ? 'log4j2.properties' : 'log4j.properties');
    const dataDir = path.join(workDir, 'data', `k${b.id}`);
    fs.writeFileSync(properties, brokerProperties(b, all, dataDir));
    fs.writeFileSync(logConfig, kafka.logging === 'log4j2' ? log4j2Properties(logFile) : log4jProperties(logFile));
    return { properties, logConfig, logFile, dataDir };
  }
}


export function startLocalCluster(options?: LocalClusterOptions): Promise<StartedCluster> {
  return new LocalClusterSpec(options).start();
}
