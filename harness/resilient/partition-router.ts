import type { BrokerHealth } from './broker-health';

/**
 * What happens to a keyed message (or one with an explicit partition) whose partition's leader is
 * not usable:
 * - 'hold': it waits for that leader (in memory, or in the on-disk backlog if there is one) and is
 *   sent to the same partition once a probe finds the leader back. Key affinity (and per-key order)
 *   is kept; latency grows with the outage.
 * - 'reroute': it goes to a partition with a healthy leader now. Key affinity is given up for that
 *   message (a consumer relying on "one key, one partition" sees the key in two partitions).
 * Unkeyed messages always go to any healthy partition.
 */
export type KeyedPolicy = 'hold' | 'reroute';
export const KEYED_POLICIES: readonly KeyedPolicy[] = ['hold', 'reroute'];

/** What the producer knows of the topic: partition count and each partition's leader (-1: none). */
export interface TopicLeaders {
  partitions: number;
  leaderOf(partition: number): number;
}

export type Route =
  /** Send to `partition` now; `probe` when it is the one message that tests an unknown or cooled-down leader. */
  | { kind: 'send'; partition: number; broker: number; probe: boolean; rerouted: boolean }
  /** 'hold' policy: the message's own partition has no usable leader; keep it for that partition. */
  | { kind: 'hold'; partition: number }
  /** No partition is usable now (every leader unhealthy and cooling down, or probing). */
  | { kind: 'wait' };

/**
 * Places messages over partitions from broker health. Free messages (unkeyed, or rerouted) go
 * round-robin over partitions with a healthy leader, staying on one partition for `stickyMs` (like
 * the clients' sticky partitioners, so that the client can batch them); but a broker due for a
 * probe (unknown, or cooled down) gets the next free message first, so recovery is noticed while
 * traffic flows.
 */
export class PartitionRouter {
  private cursor = 0;
  private sticky = { partition: -1, untilMs: -Infinity };

  constructor(
    readonly policy: KeyedPolicy,
    private readonly health: Pick<BrokerHealth, 'isHealthy' | 'canProbe'>,
    private readonly stickyMs = 0,
    private readonly clock: () => number = () => 0,
  ) {}

  /**
   * `target`: the partition the message belongs to (its key's or its explicit one), or null for an
   * unkeyed message. `policy` overrides the router's own (a backlog entry held for a partition
   * stays held for it, whatever the policy of the producer replaying it).
   */
  route(target: number | null, topic: TopicLeaders, policy: KeyedPolicy = this.policy): Route {
    if (target === null) return this.free(topic, -1);
    const leader = topic.leaderOf(target);
    if (leader >= 0 && this.health.isHealthy(leader)) return { kind: 'send', partition: target, broker: leader, probe: false, rerouted: false };
    if (leader >= 0 && this.health.canProbe(leader)) return { kind: 'send', partition: target, broker: leader, probe: true, rerouted: false };
    if (policy === 'hold') return { kind: 'hold', partition: target };
    const moved = this.free(topic, target);
    return moved.kind === 'send' ? { ...moved, rerouted: true } : moved;
  }

  /** A partition whose leader is usable, never `exclude`. */
  private free(topic: TopicLeaders, exclude: number): Route {
    const probe = this.next(topic, exclude, (broker) => this.health.canProbe(broker));
    if (probe) return { ...probe, probe: true };
    const { partition, untilMs } = this.sticky;
    const stickyLeader = partition >= 0 && partition < topic.partitions ? topic.leaderOf(partition) : -1;
    if (partition !== exclude && stickyLeader >= 0 && this.clock() < untilMs && this.health.isHealthy(stickyLeader)) {
      return { kind: 'send', partition, broker: stickyLeader, probe: false, rerouted: false };
    }
    const healthy = this.next(topic, exclude, (broker) => this.health.isHealthy(broker));
    if (!healthy) return { kind: 'wait' };
    this.sticky = { partition: healthy.partition, untilMs: this.clock() + this.stickyMs };
    return healthy;
  }

  /** The next partition in rotation (never `exclude`) whose leader passes `usable`; moves the cursor past it. */
  private next(topic: TopicLeaders, exclude: number, usable: (broker: number) => boolean): Extract<Route, { kind: 'send' }> | undefined {
    const n = topic.partitions;
    for (let i = 0; i < n; i++) {
      const partition = (this.cursor + i) % n;
      if (partition === exclude) continue;
      const broker = topic.leaderOf(partition);
      if (broker < 0 || !usable(broker)) continue;
      this.cursor = (partition + 1) % n;
      return { kind: 'send', partition, broker, probe: false, rerouted: false };
    }
    return undefined;
  }
}
