import { ListenerEndpoints, listenerPlan } from './listener-plan';
import { rackSettings } from './rack-config';

/** Ports of one broker's four listeners plus the Toxiproxy proxy in front of its PROXIED listener. */
export interface BrokerPorts {
  id: number;
  controller: number;
  internal: number;
  direct: number;
  proxied: number;
  /** The proxy's listen port: what PROXIED is advertised as. */
  proxy: number;
  /**
   * Listen port of the replication proxy in front of INTERNAL; when set, INTERNAL is advertised
   * there, so followers fetch from this broker through Toxiproxy (replication link faults).
   */
  replicationProxy?: number;
  /** Client lanes 2… (`--parallel`): the PROXIED_L<n> listener's port and its proxy's listen port. */
  extraLanes?: Array<{ proxied: number; proxy: number }>;
}

export const LOOPBACK = '127.0.0.1';

/**
 * Test-fast broker settings: quick fencing and elections, no initial rebalance delay, small logs.
 * Replication defaults stay at 3 so the cluster behaves like a production one.
 */
export const FAST_SETTINGS: Record<string, string | number | boolean> = {
  'num.partitions': 3,
  'default.replication.factor': 3,
  'min.insync.replicas': 1,
  'offsets.topic.replication.factor': 3,
  'offsets.topic.num.partitions': 3,
  'transaction.state.log.replication.factor': 3,
  'transaction.state.log.min.isr': 2,
  'transaction.state.log.num.partitions': 3,
  'share.coordinator.state.topic.replication.factor': 3,
  'share.coordinator.state.topic.min.isr': 2,
  'group.initial.rebalance.delay.ms': 0,
  'auto.create.topics.enable': false,
  'auto.leader.rebalance.enable': false,
  'broker.heartbeat.interval.ms': 500,
  'broker.session.timeout.ms': 4000,
  'controller.quorum.election.timeout.ms': 1000,
  'controller.quorum.fetch.timeout.ms': 2000,
  // Kafka's default is 30000. 4000 lets a follower that cannot fetch leave the ISR within a few
  // seconds, so ISR-shrink scenarios (semantics suite) fit in ~40 s; fetches every 500 ms at most
  // (replica.fetch.wait.max.ms) keep healthy followers far inside it.
  'replica.lag.time.max.ms': 4000,
  'log.segment.bytes': 16 * 1024 * 1024,
  'num.network.threads': 2,
  'num.io.threads': 4,
  'num.recovery.threads.per.data.dir': 1,
  'log.flush.interval.messages': 9223372036854775807n.toString(),
  'delete.topic.enable': true,
};

/** The local backend's endpoints for the listener plan: everything on 127.0.0.1, each listener its own port. */
export function localListenerEndpoints(broker: BrokerPorts): ListenerEndpoints {
  const at = (port: number) => `${LOOPBACK}:${port}`;
  return {
    id: broker.id,
    bind: { controller: at(broker.controller), internal: at(broker.internal), direct: at(broker.direct), proxied: at(broker.proxied) },
    advertised: { internal: at(broker.replicationProxy ?? broker.internal), direct: at(broker.direct), proxied: at(broker.proxy) },
    controller: at(broker.controller),
    ...(broker.extraLanes?.length ? { extraLanes: broker.extraLanes.map((l) => ({ bind: at(l.proxied), advertised: at(l.proxy) })) } : {}),
  };
}

/** Every setting of one broker, keyed by property name: the listener plan, the log dir and FAST_SETTINGS (all backends). */
export function brokerSettings(broker: ListenerEndpoints, all: ListenerEndpoints[], logDir: string): Record<string, string | number | boolean> {
  return { ...listenerPlan(broker, all), 'log.dirs': logDir, ...FAST_SETTINGS };
}

/** server.properties for broker+controller `broker.id` in a three-node KRaft cluster (DESIGN.md topology). */
export function brokerProperties(broker: BrokerPorts, all: BrokerPorts[], logDir: string): string {
  const props = { ...brokerSettings(localListenerEndpoints(broker), all.map(localListenerEndpoints), logDir), ...rackSettings(broker.id) }; // opt-in racks: rack-config.ts
  return Object.entries(props)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n') + '\n';
}

/** log4j2 configuration writing the broker log to a file in the run folder. */
export function log4j2Properties(logFile: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = file',
    'logger.kafka.name = kafka',
    'logger.kafka.level = INFO',
    'logger.apache.name = org.apache.kafka',
    'logger.apache.level = INFO',
    '',
  ].join('\n');
}

/** Same for Kafka 3.9's reload4j. */
export function log4jProperties(logFile: string): string {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n');
}
