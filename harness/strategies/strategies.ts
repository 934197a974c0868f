import { HarnessError } from '../errors';
import { ModeName, PartitionStrategy, Placement, StrategyName, TopicView, WorkaroundSettings } from './partition-strategy';

const keyOf = (seq: number) => `k-${seq}`;

/** No key, no partition: one shared object (at full speed one per message would stay alive until its ack). */
const PARTITIONER_CHOOSES: Placement = Object.freeze({ key: null, partition: null });

/**
 * round-robin: no key, the client's partitioner spreads messages. Workaround: send again as is;
 * the partitioner moves on and eventually picks a reachable leader.
 */
function roundRobin(mode: ModeName): PartitionStrategy {
  return {
    name: 'round-robin',
    mode,
    first: () => PARTITIONER_CHOOSES,
    retry: (_seq, _attempt, failed) => (mode === 'workaround' ? failed : undefined),
  };
}

/** hashing: keyed; the client's key hash picks the partition. Workaround: change the key and resend. */
function hashing(mode: ModeName): PartitionStrategy {
  return {
    name: 'hashing',
    mode,
    first: (seq) => ({ key: keyOf(seq), partition: null }),
    retry: (seq, attempt) => (mode === 'workaround' ? { key: `${keyOf(seq)}-r${attempt}`, partition: null } : undefined),
  };
}

/**
 * manual: the app picks partitions in a fixed rotation. Workaround: mark the failing partition's
 * leader unavailable for a while and pick among partitions led by the others.
 */
function manual(mode: ModeName, topic: TopicView, workaround: WorkaroundSettings, clock: () => number): PartitionStrategy {
  const avoidUntil = new Map<number, number>();
  const usable = (partition: number) => {
    const leader = topic.leaderOf(partition);
    return leader === undefined || (avoidUntil.get(leader) ?? 0) <= clock();
  };
  const pick = (seq: number): Placement => {
    if (mode === 'workaround') {
      for (let step = 0; step < topic.partitions; step++) {
        const partition = (seq + step) % topic.partitions;
        if (usable(partition)) return { key: keyOf(seq), partition };
      }
    }
    return { key: keyOf(seq), partition: seq % topic.partitions }; // library-only, or every leader avoided
  };
  return {
    name: 'manual',
    mode,
    first: (seq) => pick(seq),
    retry(seq, attempt, failed) {
      if (mode !== 'workaround') return undefined;
      const leader = failed.partition === null ? undefined : topic.leaderOf(failed.partition);
      if (leader !== undefined) avoidUntil.set(leader, clock() + workaround.avoidLeaderMs);
      return pick(seq + attempt);
    },
  };
}

/** `clock` gives ms since the scenario started (the manual workaround's marks expire against it). */
export function createStrategy(
  name: StrategyName,
  mode: ModeName,
  topic: TopicView,
  workaround: WorkaroundSettings,
  clock: () => number,
): PartitionStrategy {
  switch (name) {
    case 'round-robin':
      return roundRobin(mode);
    case 'hashing':
      return hashing(mode);
    case 'manual':
      return manual(mode, topic, workaround, clock);
    default:
      throw new HarnessError(`unknown strategy ${JSON.stringify(name)}`, { hint: 'use round-robin, hashing or manual' });
  }
}
