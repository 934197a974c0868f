import { consumerGuarantees } from '../harness/checker/consumer-guarantees';
import type { ConsumerExpectationSpec } from '../harness/checker/consumer-check-types';
import type { ConsumerApi, ProcessingMode } from '../harness/consumers/consumer-under-test';
import type { CrashClock } from '../harness/consumers/consumer-scenario';
import { defineScenario } from './define-scenario';
import type { Scenario, ScenarioInput } from './scenario';

/**
 * The consumer clients of this suite. Confluent's is an optional dependency: where it is not
 * installed, `kchaos run` leaves its rows out saying what to install (scenarios/load-scenarios.ts).
 * Java's KafkaConsumer runs as java/KchaosConsumerDriver.java (docs/consumer-protocol.md).
 */
export const CONSUMER_SUITE_CLIENTS = ['kafkajs', 'node-rdkafka', 'confluent', 'java'] as const;
export type ConsumerSuiteClient = (typeof CONSUMER_SUITE_CLIENTS)[number];

/** The group's base name; groupCoordinatorOf targets name it, each run gets its own group. */
export const CONSUMER_SUITE_GROUP = 'kchaos-consumers';

/**
 * - `no-fault`: control.
 * - `blackhole-k1`: the consumer twin of KAFKA-3686: the consumer cannot reach k1 (leader of
 *   partition 0) from the start while the cluster is healthy, healed 15 s after the consumer
 *   started; the group's coordinator is elsewhere (coordinatorAwayFrom). Does p0 stall, for how long?
 * - `blackhole-coordinator`: the group coordinator's broker unreachable 1–11 s after the start.
 * - `crash`: SIGKILL of the consumer's process 1.5 s after it was ready (Confluent: after its first
 *   processed record, crashClockOf), a new one in the same group at once: the group waits for the
 *   dead member's session timeout (10 s).
 * - `member-join-leave`: a second member of the same group (same client and mode) joins 2 s after
 *   the first was ready and leaves the library's way (close: LeaveGroup) at 8 s: two rebalances
 *   mid-stream, each taking partitions from one member and giving them to the other. A longer
 *   stream (MEMBER_MESSAGES records, MEMBER_PROCESSING_MS each) so both moves land in it.
 * - `broker-kill-leader`: SIGKILL of the JVM of partition 0's leader (k1; the group's coordinator
 *   elsewhere) BROKER_KILL.atMs after the consumer was ready; its restart (same data dir) starts
 *   at BROKER_KILL.healAtMs and ends when it registered again (a JVM start: 33–134 s at load
 *   16–52, so mostly after the stream). The other brokers elect a new leader after the dead one's broker
 *   session (4 s). The longer stream, so the kill lands in it. The checker leaves the
 *   kill→registered window out of stall lengths, so stallMsMax says nothing about p0's wait here;
 *   docs/measured/consumers-faults.md gives the raw wait.
 * - `freeze-short` / `freeze-long`: session timeout vs heartbeat. The consumer's process is frozen
 *   (SIGSTOP to its process group: its library's heartbeat thread stops with it, as in a long GC
 *   pause) FREEZE.atMs after its first processed record, for FREEZE.shortMs (below the 10 s
 *   session.timeout.ms) or FREEZE.longMs (above it), then SIGCONT. Only the long freeze should
 *   cost the member its place in the group (a rebalance, and records re-read after it).
 */
export const CONSUMER_FAULTS = ['no-fault', 'blackhole-k1', 'blackhole-coordinator', 'crash', 'member-join-leave', 'broker-kill-leader', 'freeze-short', 'freeze-long'] as const;
export type ConsumerFault = (typeof CONSUMER_FAULTS)[number];

export interface ConsumerCase {
  client: ConsumerSuiteClient;
  mode: ProcessingMode;
  api: ConsumerApi;
  fault: ConsumerFault;
}

/** 150 records, 10 ms of processing each (plus a commit each in the commit modes): faults at 1–1.5 s land mid-stream. */
const MESSAGES = 150;
const PROCESSING_MS = 10;
/** The member rows' stream: 600 records at 20 ms (about 12 s for one member alone) so the join at 2 s and the leave at 8 s land in it. */
const MEMBER_MESSAGES = 600;
const MEMBER_PROCESSING_MS = 20;
/** The second member's join and leave, from the first consumer's ready. */
export const SECOND_MEMBER_TIMES = { joinAtMs: 2_000, leaveAtMs: 8_000 };
/** The broker kill rows: SIGKILL at atMs, restart at healAtMs (from the consumer's ready). */
export const BROKER_KILL = { atMs: 3_000, healAtMs: 4_000 };
/** The freeze rows: from c1's first processed record; 4 s and 16 s around the 10 s session timeout (DEFAULT_CONSUMER_SETTINGS). */
export const FREEZE = { atMs: 1_000, shortMs: 4_000, longMs: 16_000 };
/** The freeze rows' stream: 300 records at 10 ms, so the freeze lands mid-stream. */
const FREEZE_MESSAGES = 300;
/** Rows on the longer stream (MEMBER_MESSAGES at MEMBER_PROCESSING_MS): a fault after a few seconds still lands mid-stream. */
const LONG_STREAM_FAULTS: readonly ConsumerFault[] = ['member-join-leave', 'broker-kill-leader'];
/** When the k1 cut heals, from the consumer's start. @default 15000 */
export const K1_CUT_HEAL_MS = 15_000;

function isFreeze(fault: ConsumerFault): boolean {
  return fault === 'freeze-short' || fault === 'freeze-long';
}

export function consumerCaseName(c: ConsumerCase): string {
  return `consumers/${c.client}/${c.mode}/${c.api}/${c.fault}`;
}

function faultsOf(fault: ConsumerFault): ScenarioInput['faults'] {
  switch (fault) {
    case 'no-fault':
    case 'crash':
    case 'member-join-leave':
      return [];
    case 'blackhole-k1':
      return [{ kind: 'blackhole', target: 'k1', atMs: 0, healAtMs: K1_CUT_HEAL_MS }];
    case 'blackhole-coordinator':
      return [{ kind: 'blackhole', target: `groupCoordinatorOf(${CONSUMER_SUITE_GROUP})`, atMs: 1_000, healAtMs: 11_000 }];
    case 'freeze-short':
    case 'freeze-long':
      return [];
    case 'broker-kill-leader':
      return [{ kind: 'kill', target: 'leaderOf(0)', ...BROKER_KILL }];
  }
}

/**
 * Claims: the guarantee model's for the mode (consumer-guarantees.ts), plus what a run could break
 * in every case: all records processed at the end (unconsumed 0) except where at most once or the
 * library's auto-commit may lose them by design (a crash in commit-before-processing / auto-commit).
 * Measured pins (docs/measured/consumers-repeat.json) are added in consumerPins.
 */
export function consumerExpectations(c: ConsumerCase): ConsumerExpectationSpec {
  const model = consumerGuarantees(c.mode);
  const mayLose = c.fault === 'crash' && (c.mode === 'commit-before-processing' || c.mode === 'auto-commit');
  // kafkajs' consumer may stop for good after its session expired (consumerPins, freeze-long).
  const stopsForGood = c.client === 'kafkajs' && c.fault === 'freeze-long';
  const pins = consumerPins(c);
  for (const claim of refutedClaims(c)) delete model[claim]; // the model's claim goes; a measured pin may say the opposite
  return { ...model, ...(mayLose || stopsForGood || pins.unconsumed !== undefined ? {} : { unconsumed: 0 }), ...pins };
}

/**
 * Confluent's KafkaJS-compatible `commitOffsets()` (1.10.1) resolves once librdkafka has QUEUED the
 * commit (its native commitCb calls commitAsync; read in src/kafka-consumer.cc), not when the
 * broker accepted it. A SIGKILL then drops commits the application was told had succeeded: the
 * new member re-reads records whose commit "succeeded". On librdkafka 2.12.0 (which every Confluent
 * row ran on until each client got its own librdkafka) at most once re-read 30–73 in 5 of 5 runs;
 * on its own 2.15.1, 30 and 44 in 2 of 10 (docs/measured/consumers-repeat.md, its 10/10 row): the queued
 * commits usually reach the broker before the kill now, but not always.
 */
export const CONFLUENT_COMMIT_RESOLVES_ON_ENQUEUE = 'confluent commitOffsets resolves on enqueue';

/** The guarantee model's claims that measured runs refute for a case, named (left out of its claims). */
export function refutedClaims(c: ConsumerCase): Array<keyof ConsumerExpectationSpec> {
  // CONFLUENT_COMMIT_RESOLVES_ON_ENQUEUE: at most once's "never processed twice" does not hold.
  if (c.client === 'confluent' && c.fault === 'crash' && c.mode === 'commit-before-processing') return ['processedTwice'];
  return [];
}

/**
 * Pins from repeated runs (docs/measured/consumers-repeat.{json,md}, `kchaos run consumers --repeat 5`),
 * by case; each names what every measured run showed.
 */
export function consumerPins(c: ConsumerCase): ConsumerExpectationSpec {
  const pins: ConsumerExpectationSpec = {};
  // The consumer twin of KAFKA-3686: p0's records wait for the heal; kafkajs holds every partition
  // (its fetch loop waits for the blackholed broker's fetch before the others go on). Counted from
  // the partition's assignment, so a slow group join cannot fail it (a stall pin of ≥ 12 s did, in
  // CI, after a 4 s join). docs/measured/consumers-held-recheck.md: 3 in 9 of 9 kafkajs runs, 1 in
  // every run of the others (6–8 each).
  if (c.fault === 'blackhole-k1') pins.heldByLinkFault = c.client === 'kafkajs' ? 3 : 1;
  if (c.fault === 'crash') pins.crashes = 1;
  // A 1 s auto-commit interval: the new member re-reads what the dead one processed since its last commit.
  // Not Java's: a JVM under load had processed nothing 1.5 s after its assignment in 2 of 5 runs.
  if (c.fault === 'crash' && c.mode === 'auto-commit' && c.client !== 'java') pins.processedTwice = { gt: 0 };
  if (c.fault === 'member-join-leave') {
    // docs/measured/consumers-member.md (5 runs per row, load 22–27): nothing lost or processed twice
    // in any run, 1–4 assignments and revocations. Weak as a handover test: the second member
    // (a child process started under load) was assigned 7–14 s after c1's first record and had
    // processed records in 1 of 30 runs; what held is that the rebalances cost c1 nothing.
    pins.processedLost = 0;
    pins.processedTwice = 0;
    // node-rdkafka at least once: 1 of 5 runs left 195 records unconsumed at the 45 s deadline
    // (a partition stalled 43.6 s after the member left); the others processed everything.
    if (c.client === 'node-rdkafka' && c.mode === 'commit-after-processing') pins.unconsumed = { lte: 195 };
  }
  if (c.fault === 'broker-kill-leader') {
    // docs/measured/consumers-faults.md (5 runs per client, load 16–52): nothing processed twice and
    // one assignment in every run: a dead partition leader that is not the group's coordinator costs
    // no rebalance and no redelivery (the model's at-least-once claims, nothing lost, stay).
    pins.processedTwice = 0;
    pins.rebalances = 1;
  }
  // Session timeout vs heartbeat (docs/measured/consumers-faults.md, 5 runs per row, load 3–45): frozen
  // below the session timeout, the member keeps its place (one assignment, nothing re-read) in every run.
  if (c.fault === 'freeze-short') {
    pins.rebalances = 1;
    pins.processedTwice = 0;
    // kafkajs: 1 of 5 runs (the first on a fresh cluster: "the coordinator is loading", a restart, a
    // join 28 s late) had 4 records left at the 45 s deadline; the freeze itself cost nothing.
    if (c.client === 'kafkajs') pins.unconsumed = { lte: 4 };
  }
  if (c.fault === 'freeze-long') {
    if (c.client === 'node-rdkafka') {
      // Beyond it: the coordinator removed the member; after SIGCONT librdkafka rejoined (a second
      // assignment in 5 of 5) and re-read at most the record whose commit the old generation lost (0–1).
      pins.rebalances = 2;
      pins.processedTwice = { lte: 1 };
    }
    if (c.client === 'confluent') {
      // Rejoined (a second assignment in 5 of 5) and re-read 2–94 records, with no failed commit in
      // any run: the commits the app was told had succeeded were lost with the old generation
      // (CONFLUENT_COMMIT_RESOLVES_ON_ENQUEUE: commitOffsets resolves once queued). On its own
      // librdkafka 2.15.1 the same in 5 of 5, re-read 6–33 (docs/measured/consumers-faults-confluent-2.15.1.md).
      pins.rebalances = 2;
      pins.processedTwice = { gte: 2 };
      pins.commitsFailed = 0;
    }
    if (c.client === 'kafkajs') {
      // kafkajs' commits after SIGCONT were rejected ("The coordinator is not aware of this member",
      // 2–3 in 5 of 5); in 4 of 5 its consumer then crashed without restarting (non-retriable) and the
      // app consumed nothing more (250–286 of 300 left); in 1 it rejoined (2 assignments, 2 re-read).
      // So no "every record processed" claim here (stopsForGood).
      pins.commitsFailed = { gte: 2 };
    }
  }
  if (c.client === 'kafkajs') {
    // After the coordinator comes back, kafkajs' consumer gets "The coordinator is not aware of
    // this member" (non-retriable), crashes without restarting, and the app consumes nothing more.
    if (c.fault === 'blackhole-coordinator') pins.unconsumed = { gt: 0 };
    // kafkajs' auto-commit commits offsets resolved after eachMessage returned: nothing lost.
    if (c.fault === 'crash' && c.mode === 'auto-commit') pins.processedLost = 0;
    // At most once's cost: the record being processed when the process died.
    if (c.fault === 'crash' && c.mode === 'commit-before-processing') pins.processedLost = { gt: 0 };
  }
  if (c.client === 'java') {
    // Java's auto-commit (inside poll) commits only what earlier polls returned, all processed by then.
    // The crash rows are thin evidence: a JVM at load 30-45 had processed anything 1.5 s after its
    // assignment in 3 (auto), 2 (after) and 1 (before) of 5 runs (docs/measured/consumers-repeat.md, run C).
    if (c.fault === 'crash' && c.mode === 'auto-commit') pins.processedLost = 0;
    // commitSync returns once the broker accepted: at most the record in flight is re-read (cf. Confluent).
    if (c.fault === 'crash' && c.mode === 'commit-after-processing') pins.processedTwice = { lte: 1 };
  }
  if (c.client === 'confluent') {
    // The API stores an offset only after eachMessage returned (1.10.1, #525): auto-commit loses nothing.
    if (c.fault === 'crash' && c.mode === 'auto-commit') pins.processedLost = 0;
    // CONFLUENT_COMMIT_RESOLVES_ON_ENQUEUE, at most once: commits the app saw succeed may not be
    // applied when the process died, so the new member can re-read records c1 had committed "before"
    // processing. Changed with librdkafka 2.15.1: the pin was processedTwice > 0 (30–73 in 5 of 5 runs
    // on 2.12.0); on 2.15.1 it re-read 30 and 44 in 2 of 10 runs and nothing in 8 (docs/measured/consumers-repeat.md,
    // row D, 10 runs), so the pin is the measured range (≤ 44) and the model's "never twice" stays refuted. The cost of at most once
    // stays the record in flight (0–1 lost; 1 in 7 of 10).
    if (c.fault === 'crash' && c.mode === 'commit-before-processing') {
      pins.processedLost = { lte: 1 };
      pins.processedTwice = { lte: 44 };
    }
    // At least once: on 2.12.0 0–25 re-read (from the first processed record, load 1–16); on its
    // own 2.15.1 0–1 in 5 runs: how many depends on librdkafka's commit queue at the kill, so no
    // count beyond the model's is pinned.
  }
  return pins;
}

/**
 * Where the crash's 1.5 s count from. Confluent's rows: c1's first processed record (its run()
 * can resolve before the first assignment, and a crash counted from ready then hit a consumer that
 * had processed nothing, seen once in the int test). The other clients' rows keep the clock they
 * were measured with (ready = after their first join), until they are re-measured.
 */
export function crashClockOf(client: ConsumerSuiteClient): CrashClock {
  return client === 'confluent' ? 'first-process' : 'ready';
}

export function consumerScenario(c: ConsumerCase): Scenario {
  return defineScenario({
    name: consumerCaseName(c),
    description: {
      'no-fault': 'Control: no fault; every record processed.',
      'blackhole-k1': `The consumer cannot reach k1 (leader of partition 0) from the start until ${K1_CUT_HEAL_MS / 1000} s; the cluster stays healthy and the group's coordinator is elsewhere.`,
      'blackhole-coordinator': 'The group coordinator\'s broker is unreachable for the consumer from 1 s to 11 s.',
      'member-join-leave': `A second member of the group (same client and mode) joins ${SECOND_MEMBER_TIMES.joinAtMs / 1000} s after the first was ready and leaves gracefully at ${SECOND_MEMBER_TIMES.leaveAtMs / 1000} s.`,
      'broker-kill-leader': `The JVM of partition 0's leader (the group's coordinator elsewhere) is SIGKILLed ${BROKER_KILL.atMs / 1000} s after the consumer was ready; its restart starts at ${BROKER_KILL.healAtMs / 1000} s.`,
      'freeze-short': `The consumer's process is frozen (SIGSTOP) ${FREEZE.atMs / 1000} s after its first processed record for ${FREEZE.shortMs / 1000} s, below its 10 s session timeout, then resumed.`,
      'freeze-long': `The consumer's process is frozen (SIGSTOP) ${FREEZE.atMs / 1000} s after its first processed record for ${FREEZE.longMs / 1000} s, beyond its 10 s session timeout, then resumed.`,
      crash: `The consumer's process is SIGKILLed 1.5 s after ${crashClockOf(c.client) === 'ready' ? 'it was ready' : 'it processed its first record'}; a new one joins the same group at once.`,
    }[c.fault],
    client: c.client,
    faults: faultsOf(c.fault),
    consumer: {
      messages: LONG_STREAM_FAULTS.includes(c.fault) ? MEMBER_MESSAGES : isFreeze(c.fault) ? FREEZE_MESSAGES : MESSAGES,
      group: CONSUMER_SUITE_GROUP,
      settings: { mode: c.mode, api: c.api, processingMs: LONG_STREAM_FAULTS.includes(c.fault) ? MEMBER_PROCESSING_MS : PROCESSING_MS },
      secondMember: c.fault === 'member-join-leave' ? SECOND_MEMBER_TIMES : null,
      freeze: isFreeze(c.fault) ? { atMs: FREEZE.atMs, forMs: c.fault === 'freeze-short' ? FREEZE.shortMs : FREEZE.longMs } : null,
      deadlineMs: 45_000,
      crash: c.fault === 'crash' ? { atMs: 1_500, restartAfterMs: 0, from: crashClockOf(c.client) } : null,
      coordinatorAwayFrom: c.fault === 'blackhole-k1' || c.fault === 'broker-kill-leader' ? 'k1' : null,
      expect: consumerExpectations(c),
    },
  });
}

/**
 * `consumers`: per client: a control; the k1 cut (stall: one mode, it is about fetching, not
 * committing); the coordinator cut (at least once); the crash for the three ways of committing
 * (the library's timer, before processing, after processing), all eachMessage. Kept to 6 per client
 * so that `--repeat 5` fits in about half an hour on two cores; commit-per-batch (eachBatch) and
 * the coordinator cut for the other modes are left for the next round (see docs/measured).
 */
export function consumerCases(): ConsumerCase[] {
  const cases: ConsumerCase[] = [];
  for (const client of CONSUMER_SUITE_CLIENTS) {
    cases.push({ client, mode: 'commit-after-processing', api: 'eachMessage', fault: 'no-fault' });
    cases.push({ client, mode: 'commit-after-processing', api: 'eachMessage', fault: 'blackhole-k1' });
    cases.push({ client, mode: 'commit-after-processing', api: 'eachMessage', fault: 'blackhole-coordinator' });
    for (const mode of ['auto-commit', 'commit-before-processing', 'commit-after-processing'] as const) {
      cases.push({ client, mode, api: 'eachMessage', fault: 'crash' });
    }
    // A member joining and leaving: the library's timer vs the application's commit after processing.
    // Not Java's yet: its 10 member runs did not finish (the measuring harness died after 2), so it has no measured rows.
    if (client !== 'java') for (const mode of ['auto-commit', 'commit-after-processing'] as const) cases.push({ client, mode, api: 'eachMessage', fault: 'member-join-leave' });
    // Partition 0's leader's JVM killed under an at-least-once consumer. Not Java's yet: unmeasured
    // (each run waits 90–160 s for the killed broker's restart at load 30–48; the round ran out of time).
    if (client !== 'java') cases.push({ client, mode: 'commit-after-processing', api: 'eachMessage', fault: 'broker-kill-leader' });
    // Session timeout vs heartbeat, at least once. Not Java's yet (unmeasured).
    if (client !== 'java') for (const fault of ['freeze-short', 'freeze-long'] as const) cases.push({ client, mode: 'commit-after-processing', api: 'eachMessage', fault });
  }
  return cases;
}
