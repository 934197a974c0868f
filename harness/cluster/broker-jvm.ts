import type { KafkaInstall } from '../provision/kafka-jars';

/**
 * JVM flags of every local broker, and of the run that makes their class-data archive: an
 * archive only maps into a JVM with the same GC and classpath as the one that wrote it.
 * Serial GC and small stacks: three brokers share two cores and hold little data.
 */
export const BROKER_JVM_FLAGS: readonly string[] = ['-XX:+UseSerialGC', '-Xss512k', '-Djava.awt.headless=true'];

/**
 * C1 only, no C2: most of a start's CPU on two shared cores went to compiling. In one A/B run
 * (load 12-18) a cold start took 0.57x as long with it (p50 5.8 s vs 10.2 s), and Kafka's
 * ProducerPerformance through the proxies was not slower against C1-only brokers but faster
 * (docs/measured/broker-c1-only-throughput-2026-12-01.json): C2 compiles competed with the
 * brokers for the cores. Not part of the class archive's key: an archive does not depend on it.
 */
export const BROKER_JIT_FLAGS: readonly string[] = ['-XX:TieredStopAtLevel=1'];

/**
 * Extra JVM flags for every local broker, split at whitespace and put after the harness's own
 * (so they win): e.g. KCHAOS_BROKER_JVM_OPTS='-XX:TieredStopAtLevel=4' (C2 back on) for an A/B of BROKER_JIT_FLAGS.
 */
export const BROKER_JVM_OPTS_ENV = 'KCHAOS_BROKER_JVM_OPTS';

export function brokerJvmOptsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[BROKER_JVM_OPTS_ENV] ?? '').split(/\s+/).filter(Boolean);
}

export interface BrokerJvmOptions {
  kafka: Pick<KafkaInstall, 'classpath' | 'logging'>;
  heapMb: number;
  /** server.properties of this broker. */
  properties: string;
  /** log4j2.properties (or log4j.properties for 3.9) written for this broker. */
  logConfig: string;
  /** Folder Kafka may write its own logs to (kafka.logs.dir). */
  logsDir: string;
  /** A class-data archive to map (see provision/broker-class-archive.ts); absent: none. */
  classArchive?: string;
  /** Write a dynamic class-data archive here when the JVM exits (the archive's training run only). */
  archiveAtExit?: string;
  /** @default KCHAOS_BROKER_JVM_OPTS's flags */
  extraFlags?: string[];
}

/** `java` arguments that start one broker (`kafka.Kafka server.properties`). */
export function brokerJvmArgs(o: BrokerJvmOptions): string[] {
  const loggingFlag = o.kafka.logging === 'log4j2' ? `-Dlog4j2.configurationFile=${o.logConfig}` : `-Dlog4j.configuration=file:${o.logConfig}`;
  return [
    `-Xms${Math.min(128, o.heapMb)}m`, `-Xmx${o.heapMb}m`, ...BROKER_JVM_FLAGS, ...BROKER_JIT_FLAGS,
    // -Xshare:auto (the default): an archive the JVM finds unusable (other JDK build, changed jars) is skipped with a warning.
    ...(o.classArchive ? [`-XX:SharedArchiveFile=${o.classArchive}`] : []),
    ...(o.archiveAtExit ? [`-XX:ArchiveClassesAtExit=${o.archiveAtExit}`] : []),
    ...(o.extraFlags ?? brokerJvmOptsFromEnv()),
    loggingFlag, `-Dkafka.logs.dir=${o.logsDir}`,
    '-cp', o.kafka.classpath, 'kafka.Kafka', o.properties,
  ];
}
