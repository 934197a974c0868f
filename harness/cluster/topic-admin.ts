import { Admin, Kafka, logLevel } from 'kafkajs';
import { replicaAssignment } from './replica-assignment';
import { TopicOptions } from './started-cluster';
import { waitUntil } from './wait-until';

/** @default 15000 — topic creation plus preferred leaders; usually well under a second. */
const TOPIC_READY_TIMEOUT_MS = 15_000;
/**
 * @default 60000 — how long a new topic waits for every broker to be registered and unfenced. A
 * broker restarted by the previous test or scenario (or fenced for a missed heartbeat on a loaded
 * machine) is not given its partitions' lead at creation, and with auto leader rebalancing off
 * nothing moves it back: the preferred-leader wait would time out (CI, docker backend, the rows
 * created right after a restart-k1 scenario).
 */
const BROKERS_LIVE_TIMEOUT_MS = 60_000;
/** @default 8 — kafkajs retries of one admin call (backing off), for set-up on a cluster that is up. */
const DEFAULT_ADMIN_RETRIES = 8;

export interface TopicAdminOptions {
  /**
   * kafkajs retries of each admin call. A readiness probe uses 0, so that each probe ends quickly
   * with the broker's own error and the caller's wait decides when to try again.
   * @default 8
   */
  retries?: number;
}

/** Topic set-up over the DIRECT listeners, never through the proxies. */
export class TopicAdmin {
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(directBootstrap: string, private readonly brokerIds: number[], options: TopicAdminOptions = {}) {
    const retries = options.retries ?? DEFAULT_ADMIN_RETRIES;
    const kafka = new Kafka({ clientId: 'kchaos-admin', brokers: directBootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries } });
    this.admin = kafka.admin();
  }

  private connect(): Promise<void> {
    // A failed connect (brokers still starting) must not be cached: the next call tries again.
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  /** Broker ids the cluster reports as registered and unfenced. */
  async liveBrokerIds(): Promise<number[]> {
    await this.connect();
    const { brokers } = await this.admin.describeCluster();
    return brokers.map((b) => b.nodeId).sort();
  }

  /** Creates the topic (one that already exists is left as it is) and waits for its preferred leaders. */
  async createTopic(name: string, options: TopicOptions = {}): Promise<void> {
    await this.connect();
    const partitions = options.partitions ?? 3;
    const configEntries = Object.entries({
      'min.insync.replicas': String(options.minInsyncReplicas ?? 2),
      ...options.configs,
    }).map(([configName, value]) => ({ name: configName, value }));
    const assignment = replicaAssignment(partitions, this.brokerIds);
    await this.waitForLiveBrokers();
    // Resolves false for a topic that already exists: a retry after a lost answer is not an error.
    await this.admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic: name, replicaAssignment: assignment, configEntries }],
    });
    await this.waitForPreferredLeaders(name, assignment);
  }

  /** Waits until every broker of the cluster is registered and unfenced (describeCluster lists only those). */
  async waitForLiveBrokers(timeoutMs = BROKERS_LIVE_TIMEOUT_MS): Promise<void> {
    let missing: number[] = [];
    await waitUntil(
      `brokers ${this.brokerIds.join(', ')} registered and unfenced`,
      async () => {
        const live = await this.liveBrokerIds();
        missing = this.brokerIds.filter((id) => !live.includes(id));
        return missing.length === 0 ? true : undefined;
      },
      { timeoutMs, intervalMs: 200, onTimeout: () => `not live at the last answer: ${missing.map((id) => `k${id}`).join(', ') || 'none'}` },
    );
  }

  async waitForPreferredLeaders(name: string, assignment = replicaAssignment(3, this.brokerIds)): Promise<void> {
    await waitUntil(
      `preferred leaders of topic ${name}`,
      async () => {
        const metadata = await this.admin.fetchTopicMetadata({ topics: [name] });
        const partitions = metadata.topics[0]?.partitions ?? [];
        const ready =
          partitions.length === assignment.length &&
          assignment.every((a) => partitions.find((p) => p.partitionId === a.partition)?.leader === a.replicas[0]);
        return ready ? true : undefined;
      },
      { timeoutMs: TOPIC_READY_TIMEOUT_MS, intervalMs: 100 },
    );
  }

  /** Leader and ISR per partition, as the DIRECT side sees them. */
  async partitionState(name: string): Promise<Array<{ partition: number; leader: number; isr: number[]; replicas: number[] }>> {
    await this.connect();
    // Brokers learn of a new topic one by one; a retriable UNKNOWN_TOPIC from a laggard is retried.
    const metadata = await waitUntil(`metadata of topic ${name}`, () => this.admin.fetchTopicMetadata({ topics: [name] }), {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    return (metadata.topics[0]?.partitions ?? [])
      .map((p) => ({ partition: p.partitionId, leader: p.leader, isr: [...p.isr].sort(), replicas: p.replicas }))
      .sort((a, b) => a.partition - b.partition);
  }

  async deleteTopic(name: string): Promise<void> {
    await this.connect();
    await this.admin.deleteTopics({ topics: [name], timeout: 10_000 });
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect().catch(() => {});
  }
}
