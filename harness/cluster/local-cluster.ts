import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Proxy } from 'toxiproxy-node-client';
import { HarnessError } from '../errors';
import { ManagedChild, onShutdown, spawnManaged, stopManaged } from '../process/child-processes';
import { reapOrphans } from '../process/reaper';
import { setup } from '../provision/setup';
import { KafkaInstall } from '../provision/kafka-jars';
import { runCommand } from '../provision/run-command';
import { BrokerPorts, brokerProperties, log4j2Properties, log4jProperties, LOOPBACK } from './broker-config';
import { freePorts } from './free-ports';
import { logTail } from './log-tail';
import { BrokerHandle, StartedCluster, TopicOptions } from './started-cluster';
import { startToxiproxy } from './toxiproxy-process';
import { TopicAdmin } from './topic-admin';
import { waitUntil } from './wait-until';

/** @default 60000 — three JVMs on two cores usually need 6-12 s. */
const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** @default 512 — per broker; the brokers hold little data in a scenario. */
const DEFAULT_HEAP_MB = 512;
const BROKER_IDS = [1, 2, 3];
const READINESS_TOPIC = '__kchaos_ready';

export interface LocalClusterOptions {
  /** Folder for broker configs, logs and data. @default a fresh folder under runs/ */
  workDir?: string;
  /** @default DEFAULT_KAFKA_VERSION */
  kafkaVersion?: string;
  /** @default 512 */
  heapMb?: number;
  /** @default 60000 */
  startupTimeoutMs?: number;
  /** Progress lines (set-up, start). @default stderr */
  log?: (line: string) => void;
}

/** The local backend: three Kafka JVMs (KRaft, broker+controller) and one toxiproxy-server. */
export class LocalClusterSpec {
  constructor(private readonly options: LocalClusterOptions = {}) {}

  async start(): Promise<StartedCluster> {
    const log = this.options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    reapOrphans(log);
    const { kafka, toxiproxyServer } = await setup({ kafkaVersion: this.options.kafkaVersion, log });
    const workDir = path.resolve(this.options.workDir ?? path.join('runs', `cluster-${Date.now()}-${process.pid}`));
    fs.mkdirSync(workDir, { recursive: true });
    fs.rmSync(path.join(workDir, 'data'), { recursive: true, force: true }); // every start is a fresh cluster

    const children: ManagedChild[] = [];
    const stopChildren = async () => {
      await Promise.all(children.filter((c) => c.name !== 'toxiproxy').map((c) => stopManaged(c, 3_000)));
      await Promise.all(children.filter((c) => c.name === 'toxiproxy').map((c) => stopManaged(c)));
    };
    const removeShutdownHook = onShutdown(stopChildren);
    try {
      return await this.boot(kafka, toxiproxyServer, workDir, children, log, async () => {
        removeShutdownHook();
        await stopChildren();
        fs.rmSync(path.join(workDir, 'data'), { recursive: true, force: true });
      });
    } catch (error) {
      removeShutdownHook();
      await stopChildren();
      throw error;
    }
  }

  private async boot(
    kafka: KafkaInstall,
    toxiproxyServer: string,
    workDir: string,
    children: ManagedChild[],
    log: (line: string) => void,
    stop: () => Promise<void>,
  ): Promise<StartedCluster> {
    const startedAtMs = Date.now();
    const ports = await freePorts(BROKER_IDS.length * 5 + 1);
    const brokers: BrokerPorts[] = BROKER_IDS.map((id, i) => {
      const [controller, internal, direct, proxied, proxy] = ports.slice(i * 5, i * 5 + 5);
      return { id, controller, internal, direct, proxied, proxy };
    });

    const toxiproxy = await startToxiproxy(toxiproxyServer, ports[ports.length - 1], workDir);
    children.push(toxiproxy.child);
    const proxies = new Map<number, Proxy>();
    for (const b of brokers) {
      proxies.set(b.id, await toxiproxy.client.createProxy({
        name: `k${b.id}`,
        listen: `${LOOPBACK}:${b.proxy}`,
        upstream: `${LOOPBACK}:${b.proxied}`,
      }));
    }

    log(`cluster: starting Kafka ${kafka.version} (3 brokers) in ${workDir}`);
    const clusterId = crypto.randomBytes(16).toString('base64url');
    const configs = brokers.map((b) => this.writeBrokerFiles(b, brokers, workDir, kafka));
    await Promise.all(configs.map(({ properties }) =>
      runCommand('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', kafka.classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties], {
        what: 'formatting broker storage',
      })));

    const heapMb = this.options.heapMb ?? DEFAULT_HEAP_MB;
    const jvms = brokers.map((b, i) => {
      const { properties, logConfig, logFile } = configs[i];
      const loggingFlag = kafka.logging === 'log4j2' ? `-Dlog4j2.configurationFile=${logConfig}` : `-Dlog4j.configuration=file:${logConfig}`;
      const child = spawnManaged(`k${b.id}`, 'java', [
        `-Xms${Math.min(128, heapMb)}m`, `-Xmx${heapMb}m`, '-XX:+UseSerialGC', '-Xss512k',
        '-Djava.awt.headless=true', loggingFlag, `-Dkafka.logs.dir=${path.dirname(logFile)}`,
        '-cp', kafka.classpath, 'kafka.Kafka', properties,
      ], { logFile: path.join(workDir, `k${b.id}.stdout.log`), marker: properties });
      children.push(child);
      return { broker: b, child, logFile };
    });

    const admin = new TopicAdmin(brokers.map((b) => `${LOOPBACK}:${b.direct}`).join(','), BROKER_IDS);
    const timeoutMs = this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    const failFast = () => {
      const dead = jvms.find((j) => j.child.process.exitCode !== null || j.child.process.signalCode !== null);
      if (dead) {
        throw new HarnessError(`broker k${dead.broker.id} exited during start-up; last lines of ${dead.logFile}:\n${logTail(dead.logFile) || logTail(path.join(workDir, `k${dead.broker.id}.stdout.log`))}`);
      }
    };
    try {
      await waitUntil('three registered, unfenced brokers', async () => {
        failFast();
        const ids = await admin.liveBrokerIds();
        return ids.length === BROKER_IDS.length ? ids : undefined;
      }, { timeoutMs, intervalMs: 250, onTimeout: () => `last lines of ${jvms[0].logFile}:\n${logTail(jvms[0].logFile)}` });
      await admin.createTopic(READINESS_TOPIC, { partitions: 3, minInsyncReplicas: 1 });
    } catch (error) {
      await admin.close();
      if (error instanceof HarnessError) throw error;
      failFast();
      throw new HarnessError('the local cluster did not become ready', { cause: error });
    }
    log(`cluster: ready in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s`);

    const handles: BrokerHandle[] = brokers.map((b) => ({
      id: b.id,
      name: `k${b.id}`,
      direct: `${LOOPBACK}:${b.direct}`,
      proxied: `${LOOPBACK}:${b.proxy}`,
      proxy: proxies.get(b.id)!,
    }));
    let stopped = false;
    return {
      backend: 'local',
      kafkaVersion: kafka.version,
      directBootstrap: handles.map((h) => h.direct).join(','),
      proxiedBootstrap: handles.map((h) => h.proxied).join(','),
      toxiproxyUrl: toxiproxy.url,
      toxiproxy: toxiproxy.client,
      brokers: handles,
      workDir,
      brokerPids: Object.fromEntries(jvms.map((j) => [j.broker.id, j.child.pid])),
      createTopic: (name: string, options?: TopicOptions) => admin.createTopic(name, options),
      deleteTopic: (name: string) => admin.deleteTopic(name),
      partitionState: (name: string) => admin.partitionState(name),
      resetProxies: () => toxiproxy.client.reset(),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await admin.close();
        await stop();
      },
    };
  }

  private writeBrokerFiles(b: BrokerPorts, all: BrokerPorts[], workDir: string, kafka: KafkaInstall) {
    const dir = path.join(workDir, `k${b.id}`);
    fs.mkdirSync(dir, { recursive: true });
    const properties = path.join(dir, 'server.properties');
    const logFile = path.join(workDir, `k${b.id}.log`);
    const logConfig = path.join(dir, kafka.logging === 'log4j2' ? 'log4j2.properties' : 'log4j.properties');
    fs.writeFileSync(properties, brokerProperties(b, all, path.join(workDir, 'data', `k${b.id}`)));
    fs.writeFileSync(logConfig, kafka.logging === 'log4j2' ? log4j2Properties(logFile) : log4jProperties(logFile));
    return { properties, logConfig, logFile };
  }
}

export function startLocalCluster(options?: LocalClusterOptions): Promise<StartedCluster> {
  return new LocalClusterSpec(options).start();
}
