import type { Proxy, Toxiproxy } from 'toxiproxy-node-client';
import type { ClusterLane } from '../lanes/cluster-lane';

export type BackendName = 'local' | 'docker' | 'external';

export interface BrokerHandle {
  id: number;
  /** Name of this broker in scenarios and the history: "k1", "k2", "k3". */
  name: string;
  /** host:port of the DIRECT listener (not behind Toxiproxy). */
  direct: string;
  /** host:port of the proxy in front of the PROXIED listener. */
  proxied: string;
  /** The Toxiproxy proxy in front of this broker. */
  proxy: Proxy;
  /**
   * The Toxiproxy proxy in front of this broker's INTERNAL (replication) listener: followers fetch
   * from this broker through it. Local backend only; replication link faults need it.
   */
  replicationProxy?: Proxy;
}

/** How a broker process is stopped: SIGKILL (crash), SIGTERM (controlled shutdown). */
export type BrokerStopSignal = 'SIGKILL' | 'SIGTERM';

export interface TopicOptions {
  /** @default 3 */
  partitions?: number;
  /** Topic-level min.insync.replicas. @default 2 */
  minInsyncReplicas?: number;
  /** Further topic configs, e.g. { 'unclean.leader.election.enable': 'true' }. */
  configs?: Record<string, string>;
}

/** A running cluster: only this type can be used or stopped (the spec that made it cannot). */
export interface StartedCluster {
  backend: BackendName;
  kafkaVersion: string;
  /** Comma-separated DIRECT listeners: verifier, admin, topic set-up. */
  directBootstrap: string;
  /** Comma-separated proxy addresses: the producer under test bootstraps here. */
  proxiedBootstrap: string;
  /** Base URL of the Toxiproxy HTTP API. */
  toxiproxyUrl: string;
  toxiproxy: Toxiproxy;
  brokers: BrokerHandle[];
  /**
   * Client lanes (local backend started with `lanes`): lane 1 is `brokers`' own proxies; lane n ≥ 2
   * a PROXIED_L<n> listener per broker behind proxies k<id>-lane<n>. Absent: one lane.
   */
  lanes?: ClusterLane[];
  /** Folder holding broker logs and data. */
  workDir: string;
  /**
   * Creates a topic whose partition p has replicas [p+1, p+2, p+3 mod 3] (k1 leads partition 0,
   * k2 partition 1, k3 partition 2), resolving when every partition has its preferred leader.
   */
  createTopic(name: string, options?: TopicOptions): Promise<void>;
  deleteTopic(name: string): Promise<void>;
  /** Leader, ISR and replicas per partition, as seen over DIRECT. */
  partitionState(name: string): Promise<Array<{ partition: number; leader: number; isr: number[]; replicas: number[] }>>;
  /** Broker JVM pids by broker id (local backend only; process faults signal them; updated when a broker restarts). */
  brokerPids?: Record<number, number>;
  /**
   * Process control (local backend only; other backends leave these out and process faults then
   * fail with a clear error). stopBroker resolves once the process is gone (SIGTERM: after the
   * controlled shutdown, or SIGKILL after `graceMs`); startBroker starts it again with the same
   * config and data dir and resolves once it is registered and unfenced.
   */
  stopBroker?(id: number, signal: BrokerStopSignal, options?: { graceMs?: number }): Promise<void>;
  startBroker?(id: number): Promise<void>;
  /** SIGSTOP / SIGCONT: the process freezes with its sockets open, then carries on. */
  pauseBroker?(id: number): Promise<void>;
  resumeBroker?(id: number): Promise<void>;
  /** Re-enables every proxy and removes every toxic, so the next scenario starts clean. */
  resetProxies(): Promise<void>;
  stop(): Promise<void>;
}

/** The JSON object `kchaos cluster up` prints (DESIGN.md, CLI). */
export function describeCluster(cluster: StartedCluster) {
  return {
    directBootstrap: cluster.directBootstrap,
    proxiedBootstrap: cluster.proxiedBootstrap,
    toxiproxy: cluster.toxiproxyUrl,
    brokers: cluster.brokers.map((b) => ({ id: b.id, direct: b.direct, proxied: b.proxied })),
    // Lanes 2… only where there are any, so a one-lane cluster prints what it always printed.
    ...(cluster.lanes && cluster.lanes.length > 1 ? { lanes: cluster.lanes.map((l) => ({ lane: l.index, proxiedBootstrap: l.brokers.map((b) => b.proxied).join(',') })) } : {}),
  };
}
