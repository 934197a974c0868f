import type { ExpectationSpec } from '../harness/checker/check-types';
import type { SeedCase } from './seed.suite';

/**
 * The seed suite's pins, set from evidence: `kchaos run seed --repeat 10` (Confluent's client, added
 * later: its 12 scenarios `--repeat 5`, merged in by `scripts/measured.ts save seed … --merge`, re-measured on its
 * own librdkafka 2.15.1 on 2026-12-01), summarised in
 * docs/measured/seed-repeat.json (the README's table is generated from the same file). Each pin
 * sits just outside the measured range; scenarios/seed-expectations.test.ts checks every pin holds
 * over that range and is not looser than it needs to be. Outcomes are the clients' own: no harness
 * timer decides one (the seed names no application deadline).
 */

export type Range = { gte: number; lte: number };
export const between = (gte: number, lte: number): Range => ({ gte, lte });

/** Nobody may lose an acknowledged message or invent one, in any seed scenario. */
export const SAFE: ExpectationSpec = { lostAcked: 0, unexpected: 0 };

/** The fault touched the producer: some attempt was placed on k1's partition while it was cut. */
export const FAULT_TOUCHED: ExpectationSpec = { exposedSends: { gt: 0 } };

/**
 * Library alone, undelivered of 300 (1500 for Java round-robin), by client / strategy / fault.
 * Keyed (hashing) and manual placement put a fixed share on k1's partition 0 when cut from the
 * start: 100 of 300 for manual; for hashing 100 (librdkafka's consistent_random) or 88 (the Java
 * client's and kafkajs' murmur2). Unkeyed: librdkafka keeps p0 in its rotation (about a third);
 * Java's sticky batches land on p0 all-or-nothing, so 1500 messages lose anywhere from about a
 * tenth to nearly all, or now and then nothing (JAVA_STICKY_LIBRARY_LOSS, not in this table); kafkajs
 * partitions an unkeyed message again on each retry, so it loses only what both attempts sent to p0
 * (about a ninth). Confluent's client is librdkafka too, but its
 * KafkaJS-compatible API always sets the murmur2_random partitioner, so keyed loss is Java's 88, not
 * node-rdkafka's 100; its mid-run losses run higher than node-rdkafka's (see CONFLUENT_CONTROL_LOSS).
 */
const LIBRARY_LOSS: Record<string, Range> = {
  'kafkajs/round-robin/blackhole': between(25, 45),
  'kafkajs/round-robin/blackhole-midrun': between(10, 35),
  'kafkajs/round-robin/refuse': between(15, 50),
  'kafkajs/hashing/blackhole': between(88, 88),
  'kafkajs/hashing/blackhole-midrun': between(30, 75),
  'kafkajs/manual/blackhole': between(100, 100),
  // Mid-run, the loss is p0's sends after the 1 s cut plus those queued behind k1's in-flight requests at the
  // cut, so it grows when the machine is slower: 49–59 in 10 quiet runs, 73–92 in 10 loaded ones (the
  // "loaded" condition in docs/measured/seed-repeat.json; a CI run saw 73). Never more than p0's 100.
  'kafkajs/manual/blackhole-midrun': between(40, 100),
  'node-rdkafka/round-robin/blackhole': between(70, 130),
  'node-rdkafka/round-robin/blackhole-midrun': between(30, 70),
  'node-rdkafka/round-robin/refuse': between(75, 130),
  'node-rdkafka/hashing/blackhole': between(100, 100),
  'node-rdkafka/hashing/blackhole-midrun': between(40, 70),
  'node-rdkafka/manual/blackhole': between(100, 100),
  'node-rdkafka/manual/blackhole-midrun': between(40, 60),
  'java/hashing/blackhole': between(88, 88),
  'java/hashing/blackhole-midrun': between(35, 50),
  'java/manual/blackhole': between(100, 100),
  'java/manual/blackhole-midrun': between(40, 60),
  // Unkeyed placement is random (murmur2_random, no key): p0's share is binomial(300, 1/3), sd ≈ 8.
  // On its own librdkafka 2.15.1 (seed/confluent/ --repeat 5, 2026-12-01, load 5–9, merged into
  // docs/measured/seed-repeat.json): 93–106; on node-rdkafka's 2.12.0 93–115 in 10. The width is node-rdkafka's.
  'confluent/round-robin/blackhole': between(70, 130),
  // 2.15.1: 47–58 in 5 quiet runs (2.12.0: 43–62 in 10 quiet ones). The "busy machine" row (70–107, load
  // 30–65) ran on 2.12.0 and is kept as the only loaded evidence: a slow machine queues more sends behind the cut.
  'confluent/round-robin/blackhole-midrun': between(35, 120),
  // Changed with librdkafka 2.15.1: 90–108 in 5 runs at load 5–9, no send failed and arrived anyway; the old
  // upper bound 190 came from 2.12.0's 94–179 under load. The lower bound is p0's binomial share, as for
  // blackhole above: 85 (set just outside those 5 runs) sat 1.9 sd under the mean 100 and failed about one run
  // in 30 by chance (81 in a lanes run, docs/measured/seed-lanes-8-sending-2-repeat-2026-12-02.json); 70 is 3.6 sd.
  'confluent/round-robin/refuse': between(70, 170),
  'confluent/hashing/blackhole': between(88, 88),
  // Changed with librdkafka 2.15.1 (tightened as above): 42 in 5 of 5 runs at load 5–9; the old upper bound 90
  // came from 2.12.0's 47–83 at load 30–65 (5–35 sends there timed out and arrived anyway, 0–2 here).
  'confluent/hashing/blackhole-midrun': between(40, 70),
  'confluent/manual/blackhole': between(100, 100),
  'confluent/manual/blackhole-midrun': between(45, 65),
};

/**
 * Refuted as a certainty for the Java client's unkeyed sends: "sends to k1's partition time out"
 * needs sends placed there, and Java's built-in partitioner places unkeyed records in sticky stints
 * of about 298 messages (a batch.size of them), steering later stints away from a partition whose
 * queue does not drain (adaptive partitioning). So the loss is whole stints: 298, 596, 894, … and
 * cut ones between. Measured undelivered (docs/measured/seed-repeat.json): 176–1490 from the start
 * of a blackhole, 298–1216 under `refuse`, 168–756 mid-run in 10 quiet local runs each; 298–1192,
 * 250–1348 and 158–990 in 20 each on the docker backend in 8 lanes (condition "docker backend, 8
 * lanes"). Outside those, one CI docker run's blackhole-k1 placed no stint on p0 at all (0 exposed,
 * 0 lost) and one local lanes run's refuse-k1 lost 77. So no lower bound holds, nor "the fault
 * touched the producer", and from the start of the fault the loss can be all 1500. What does hold
 * every time, and is pinned: the loss is only what was placed on k1's partition (no undelivered
 * message had tried a healthy leader; undelivered equalled exposedSends in all 40 docker runs from
 * the start), nothing acked is lost, and mid-run what was sent before the cut arrives (at most 990
 * of 1500 lost; pinned at 1300).
 */
const JAVA_STICKY_LIBRARY_LOSS: ExpectationSpec = { ...SAFE, resends: 0, undeliveredDespiteHealthyTry: 0 };
const JAVA_STICKY_MIDRUN_LOSS: ExpectationSpec = { undelivered: { lte: 1300 } };

/**
 * Refuted for kafkajs under a blackhole: "catch the error, send again" needs an error, and kafkajs
 * gave its first one 24–35 s after the send in a preview run's histories (requests for k1 queue
 * behind five in flight on the held connection, and a queued request's timeout only starts when it
 * is written), past the workaround's 25 s deadline and the 35 s drain: 0–5 resends in ten runs. So almost nothing is resent and k1's share is
 * lost much as without the workaround. Under `refuse` the error is immediate and the workaround
 * delivers everything.
 */
const KAFKAJS_BLACKHOLE_WORKAROUND_LOSS: Record<string, Range> = {
  'round-robin': between(20, 45),
  hashing: between(80, 88),
  manual: between(90, 100),
};
const KAFKAJS_BLACKHOLE_WORKAROUND_RESENDS: ExpectationSpec = { resends: { lte: 10 } };

/**
 * Measured, and less than the seed promises: a sticky partitioner can send a resent unkeyed
 * message to k1's partition again, so "resend" may run out of attempts (librdkafka). Never an
 * acked loss.
 */
const STICKY_RESEND_MAY_MISS: Record<string, number> = {
  'node-rdkafka/blackhole': 2,
  'node-rdkafka/refuse': 2,
  'confluent/blackhole': 2,
  'confluent/refuse': 2,
};

/**
 * Refuted for the Java client: "the library will eventually proceed to the next available broker".
 * Its built-in partitioner moves on from a partition only once it has appended about a batch.size
 * of records there, so once the new messages are all sent, the last resends go out as one batch
 * on one partition; when that is k1's p0, the batch expires, is resent, lands on p0 again, and
 * runs out of all ten attempts (the history shows `Expiring 66 record(s)` on p0 for every
 * attempt). Measured undelivered (docs/measured/seed-repeat.json, conditions "docker backend…" and
 * "local, re-measured…"): 0–12 in 40 local runs, 0–66 in 50 docker runs (66 once), and 45 twice in
 * CI's docker seed subset (4 lanes); undeliveredDespiteHealthyTry 0 in all 70 re-checked runs. The size of that last batch is not the workaround's to bound,
 * so the pin is what does hold: no resend that reached a reachable leader went undelivered, and
 * nothing acked was lost. The same partitioner picks a partition per stint of about 2 × batch.size
 * (~10 stints in 1500 messages), so now and then no stint lands on p0 ((2/3)^10 ≈ 2 %): 1 of 35
 * runs under `refuse` placed nothing there (exposedSends 0, resends 0), and "the fault touched the
 * producer" is not pinned for these rows.
 */
const JAVA_STICKY_RESEND: ExpectationSpec = { ...SAFE, undeliveredDespiteHealthyTry: 0 };

/**
 * Refuted for Confluent's client on the control ("no fault; everything must arrive"): 0–4 of 300
 * undelivered in 4 of 5 runs on node-rdkafka's librdkafka 2.12.0 at load 30–65, with 6–87 sends
 * reported failed (timed out) that arrived anyway and up to 113 duplicates. On its own 2.15.1 at load
 * 5–9: 0 undelivered, nothing failed, no duplicate in 5 of 5 (docs/measured/seed-repeat.json); the
 * pin stays until loaded 2.15.1 runs show whether the loss was the load's or 2.12.0's. (Those 2.15.1
 * runs also had the workload's one-message fast path, 7f244d6, in the working tree: same ops, less CPU.) Its KafkaJS API
 * maps the seed's 1.5 s request timeout onto librdkafka's socket.timeout.ms (node-rdkafka's adapter
 * keeps librdkafka's 60 s there), so on a loaded machine in-flight requests time out and are
 * resent, and messages still queued when the 2 s delivery timeout passes are never sent. Side by
 * side on one cluster under the same load, 5 runs each: node-rdkafka 0 undelivered, Confluent 0–2.
 * Never an acked loss.
 */
const CONFLUENT_CONTROL_LOSS: ExpectationSpec = { undelivered: { lte: 8 } };

const faultName = (c: SeedCase) => `${c.fault}${c.midRun ? '-midrun' : ''}`;

export function seedExpectations(c: SeedCase): ExpectationSpec {
  if (c.fault === 'none') return { ...SAFE, undelivered: 0, exposedSends: 0, resends: 0, ...(c.client === 'confluent' ? CONFLUENT_CONTROL_LOSS : {}) };
  if (c.mode === 'resilient') {
    // The resilient producer avoids k1 before it places a record, so an unkeyed record is never
    // exposed: the fault shows as exposure only where the app asked for p0 (hashing, manual).
    return { ...SAFE, undelivered: 0, ...(c.strategy === 'round-robin' ? {} : FAULT_TOUCHED) };
  }
  if (c.mode === 'library-only') {
    if (c.client === 'java' && c.strategy === 'round-robin') return { ...JAVA_STICKY_LIBRARY_LOSS, ...(c.midRun ? JAVA_STICKY_MIDRUN_LOSS : {}) };
    // seed-full's other fault starts are not measured: they pin the claim alone (a loss).
    return { ...SAFE, ...FAULT_TOUCHED, undelivered: LIBRARY_LOSS[`${c.client}/${c.strategy}/${faultName(c)}`] ?? { gt: 0 }, resends: 0 };
  }
  // workaround
  if (c.client === 'kafkajs' && c.fault === 'blackhole') {
    return { ...SAFE, ...FAULT_TOUCHED, ...KAFKAJS_BLACKHOLE_WORKAROUND_RESENDS, undelivered: KAFKAJS_BLACKHOLE_WORKAROUND_LOSS[c.strategy] };
  }
  const resent: ExpectationSpec = { ...SAFE, ...FAULT_TOUCHED, resends: { gt: 0 } };
  if (c.strategy === 'round-robin' && c.client === 'java') return JAVA_STICKY_RESEND;
  if (c.strategy === 'round-robin' && c.client !== 'kafkajs') {
    return { ...resent, undelivered: { lte: STICKY_RESEND_MAY_MISS[`${c.client}/${c.fault}`] } };
  }
  return { ...resent, undelivered: 0 };
}
