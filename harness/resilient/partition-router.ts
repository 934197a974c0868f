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
 * round-robin over partitions with a healthy leader; but a broker due for a probe (unknown, or
 * cooled down) gets the next free message first, so recovery is noticed while traffic flows.
 */
export class PartitionRouter {
  private cursor = 0;

  constructor(
    readonly policy: KeyedPolicy,
    private readonly health: Pick<BrokerHealth, 'isHealthy' | 'canProbe'>,
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
    const n = topic.partitions;
    for (let probe = 1; probe >= 0; probe--) {
      for (let i = 0; i < n; i++) {
        const partition = (this.cursor + i) % n;
        if (partition === exclude) continue;
        const broker = topic.leaderOf(partition);
        if (broker < 0) continue;
        const usable = probe ? this.health.canProbe(broker) : this.health.isHealthy(broker);
        if (!usable) continue;
        this.cursor = (partition + 1) % n;
        return { kind: 'send', partition, broker, probe: probe === 1, rerouted: false };
      }
    }
    return { kind: 'wait' };
  }
}
