import type { ExpectationSpec } from '../harness/checker/check-types';
import { isPacketFault } from '../harness/faults/fault-spec';
import { between, FAULT_TOUCHED, type Range, SAFE } from './seed-expectations';
import type { SeedCase } from './seed.suite';

/**
 * The `partitions` suite's own pins, for the rows the seed does not measure: the packet faults
 * (from the start and mid-run) and refuse under hashing and manual placement. Set from evidence:
 * `kchaos run partitions/… --repeat 5`, summarised in docs/measured/partitions-repeat.json (the
 * README's fault comparison is generated from the same file). scenarios/partitions-expectations.test.ts
 * checks every pin holds over the measured range and is not looser than it needs to be. The
 * refuse and blackhole rows the seed has keep the seed's pins (seed-expectations.ts).
 */

/**
 * Library alone, undelivered by client/strategy/fault. Cut from the start, no connection to k1 ever
 * completes, so k1's share is lost whatever the packet fault: kafkajs loses about a third unkeyed
 * (92 of 300, against 32–34 under a blackhole, where a held connection lets a retry pick another
 * partition), librdkafka a third, keyed and manual placement exactly p0's share.
 */
const PACKET_LIBRARY_LOSS: Record<string, Range> = {
  'kafkajs/round-robin/partition': between(75, 110),
  'kafkajs/round-robin/partition-oneway': between(75, 110),
  'kafkajs/hashing/partition': between(88, 88),
  'kafkajs/hashing/partition-oneway': between(88, 88),
  'kafkajs/manual/partition': between(100, 100),
  'kafkajs/manual/partition-oneway': between(100, 100),
  'node-rdkafka/round-robin/partition': between(75, 130),
  'node-rdkafka/round-robin/partition-oneway': between(75, 130),
  'node-rdkafka/hashing/partition': between(100, 100),
  'node-rdkafka/hashing/partition-oneway': between(100, 100),
  'node-rdkafka/manual/partition': between(100, 100),
  'node-rdkafka/manual/partition-oneway': between(100, 100),
  'java/round-robin/partition': between(150, 1350),
  'java/hashing/partition': between(88, 88),
  'java/hashing/partition-oneway': between(88, 88),
  'java/manual/partition': between(100, 100),
  'java/manual/partition-oneway': between(100, 100),
};

/**
 * Refuse under keyed and manual placement (the seed measures refuse for round-robin only): the
 * library alone loses at least p0's share. Java and librdkafka under a loaded machine lost more
 * (up to 252 of 300 keyed for Java: batches for healthy partitions ran out of the 2 s delivery
 * timeout while the client reconnected to k1).
 */
const REFUSE_LIBRARY_LOSS: Record<string, Range> = {
  'kafkajs/hashing/refuse': between(88, 88),
  'kafkajs/manual/refuse': between(100, 100),
  'node-rdkafka/hashing/refuse': between(100, 170),
  'node-rdkafka/manual/refuse': between(100, 100),
  'java/hashing/refuse': between(88, 300),
  'java/manual/refuse': between(100, 100),
};

/**
 * Cut mid-run, with connections to k1 open. Under `partition` the kernel holds the requests
 * already written and retransmits them after the heal (`onHeal: 'resume'`), after the client has
 * given up on them: what it reported failed or unknown arrives anyway, and kafkajs, which retried
 * on a new connection meanwhile, delivers keyed and manual sends all, many twice. Under
 * `partition-oneway` the requests reach k1 but the answers do not.
 */
const MIDRUN_LIBRARY_LOSS: Record<string, Range> = {
  'kafkajs/round-robin/partition-midrun': between(0, 110),
  'kafkajs/round-robin/partition-oneway-midrun': between(10, 45),
  'kafkajs/hashing/partition-oneway-midrun': between(60, 95),
  'kafkajs/manual/partition-oneway-midrun': between(30, 90),
  'node-rdkafka/round-robin/partition-midrun': between(40, 240),
  'node-rdkafka/round-robin/partition-oneway-midrun': between(30, 140),
  'node-rdkafka/hashing/partition-midrun': between(35, 220),
  'node-rdkafka/hashing/partition-oneway-midrun': between(20, 110),
  'node-rdkafka/manual/partition-midrun': between(10, 80),
  'node-rdkafka/manual/partition-oneway-midrun': between(15, 70),
  'java/round-robin/partition-midrun': between(70, 1500),
  'java/round-robin/partition-oneway-midrun': between(200, 1500),
  'java/manual/partition-midrun': between(1, 65),
};

/**
 * The seed's "the library alone loses k1's share" refuted by name, mid-run under a real partition:
 * kafkajs delivers every keyed and manual send (many twice: 57–84 duplicates), and Java keyed and
 * manual sends mostly arrive after the heal although the client reported them failed or unknown
 * (0–61 lost, 16–186 delivered despite an error, over 5 runs each).
 */
const MIDRUN_DELIVERED_ANYWAY: Record<string, ExpectationSpec> = {
  'kafkajs/round-robin/partition-midrun': { duplicates: { gt: 0 } },
  'kafkajs/hashing/partition-midrun': { undelivered: 0, duplicates: { gte: 30 } },
  'kafkajs/manual/partition-midrun': { undelivered: 0, duplicates: { gte: 20 } },
  'java/hashing/partition-midrun': { undelivered: { lte: 40 }, deliveredDespiteError: { gte: 10 } },
  'java/hashing/partition-oneway-midrun': { undelivered: { lte: 95 }, deliveredDespiteError: { gt: 0 } },
  'java/manual/partition-midrun': { deliveredDespiteError: { gte: 10 } },
  'java/manual/partition-oneway-midrun': { undelivered: { lte: 25 }, deliveredDespiteError: { gte: 20 } },
};

/**
 * Java, unkeyed, library alone, partition-oneway from the start: in 2 of 5 runs the producer never
 * placed a record on p0 (exposedSends 0, nothing lost) and in the others it lost up to 1191 of
 * 1500. The built-in partitioner weighs partitions by their queued bytes (KIP-794's adaptive
 * partitioning), so a partition whose leader never answers can be starved of new batches from the
 * first ones on. Neither exposure nor a loss can be claimed; the pin says only what no run may do.
 */
const JAVA_UNKEYED_MAY_NEVER_TOUCH_P0 = new Set(['java/round-robin/partition-oneway']);

/**
 * The seed's workaround (catch the error, resend elsewhere) under a real partition: kafkajs's
 * connect timeout gives it an error in time, unlike a blackhole's held connection (refuted there,
 * see seed-expectations.ts), so it resends 85–97 and delivers most; what is left ran out of the 25 s.
 */
const PACKET_WORKAROUND_LOSS: Record<string, Range> = {
  'kafkajs/round-robin/partition': between(15, 45),
  'kafkajs/round-robin/partition-oneway': between(15, 45),
  'kafkajs/hashing/partition': between(20, 50),
  'kafkajs/hashing/partition-oneway': between(20, 50),
  'kafkajs/manual/partition': between(1, 15),
  'kafkajs/manual/partition-oneway': between(1, 15),
};

const key = (c: SeedCase) => `${c.client}/${c.strategy}/${c.fault}${c.midRun ? '-midrun' : ''}`;

/** Whether the partitions suite pins this case itself (measured), rather than the seed. */
export function isPartitionsMeasuredCase(c: SeedCase): boolean {
  const measuredClient = c.client !== 'confluent';
  return measuredClient && c.fault !== 'none' && (isPacketFault(c.fault) || (c.fault === 'refuse' && c.strategy !== 'round-robin'));
}

/**
 * Pins for the cases `isPartitionsMeasuredCase` names; `undefined` for a case without measurements
 * (the caller then claims only what no run may break).
 */
export function partitionsExpectations(c: SeedCase): ExpectationSpec | undefined {
  if (!isPartitionsMeasuredCase(c)) return undefined;
  if (c.mode === 'library-only') {
    if (JAVA_UNKEYED_MAY_NEVER_TOUCH_P0.has(key(c))) return { ...SAFE, resends: 0 };
    const loss = PACKET_LIBRARY_LOSS[key(c)] ?? REFUSE_LIBRARY_LOSS[key(c)] ?? MIDRUN_LIBRARY_LOSS[key(c)];
    const anyway = MIDRUN_DELIVERED_ANYWAY[key(c)];
    if (!loss && !anyway) return undefined;
    return { ...SAFE, ...FAULT_TOUCHED, resends: 0, ...(loss ? { undelivered: loss } : {}), ...anyway };
  }
  const loss = PACKET_WORKAROUND_LOSS[key(c)];
  if (loss) return { ...SAFE, ...FAULT_TOUCHED, resends: { gt: 0 }, undelivered: loss };
  // Java's sticky batches: the workaround's unkeyed records may never reach p0 (0–895 resends).
  if (c.client === 'java' && c.strategy === 'round-robin') return { ...SAFE, undelivered: 0 };
  return { ...SAFE, ...FAULT_TOUCHED, resends: { gt: 0 }, undelivered: 0 };
}
