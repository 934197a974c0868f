import type { ExpectationSpec } from '../harness/checker/check-types';
import { defineScenario } from './define-scenario';
import type { Scenario, ScenarioInput } from './scenario';

/**
 * For the two in-flight scenarios (with and without idempotence): latency keeps several requests
 * in flight, and cutting partition 0's followers makes appended batches fail and be retried.
 */
const REORDERING_FAULTS: ScenarioInput['faults'] = [
  { kind: 'latency', target: 'leaderOf(0)', atMs: 500, latencyMs: 100 },
  { kind: 'refuse', target: 'leaderOf(0)', link: 'replication', atMs: 2_000, healAtMs: 10_000 },
];

/**
 * `semantics`: what acks, min.insync.replicas, retries, idempotence and max.in.flight promise, each
 * shown against a real cluster under the fault that tests it.
 *
 * Client: node-rdkafka everywhere. librdkafka implements the producer pipeline these settings are
 * about (batches per partition, requests in flight per connection, retries with backoff, sequence
 * numbers for idempotence, a bounded local queue), and it reports every message's outcome. kafkajs
 * retries each send() call on its own, so with several sends outstanding it reorders whatever
 * max.in.flight says, and its idempotence is marked experimental: it would blur what the settings do.
 *
 * Expectations: the guarantee model's (every count a promise covers must be 0), plus the anomaly
 * each scenario exists to show, pinned to what repeated runs measured (README, "Delivery semantics").
 *
 * Followers falling behind: replication runs on the INTERNAL listener, which the local backend puts
 * behind a Toxiproxy proxy per broker (link 'replication'). Refusing `leaderOf(0)`'s replication
 * link stops its followers' fetches while every broker stays healthy and in the KRaft quorum, so
 * the leader shrinks the ISR after replica.lag.time.max.ms (4 s on the local backend). Pausing the
 * followers (SIGSTOP) cannot do that here: each broker is also one of the three KRaft voters, so
 * pausing both followers stops the quorum, and no ISR change can be committed. The acks=1 scenario
 * uses exactly that: followers frozen (ISR unchanged), leader killed, a stale follower elected.
 */

/** Messages per second in every scenario (a third go to partition 0, which the faults target). */
const RATE_PER_SEC = 100;

/** The model's expectations for the scenario, plus the anomaly it shows (which wins on a conflict). */
function semanticsScenario(input: Omit<ScenarioInput, 'expect'> & { shows: ExpectationSpec }): Scenario {
  const { shows, ...rest } = input;
  const modelDefaults = defineScenario(rest).expect;
  return defineScenario({ ...rest, expect: { ...modelDefaults, ...shows } });
}

/** Enough messages at RATE_PER_SEC to keep producing for `seconds`. */
const workloadFor = (seconds: number) => ({ messages: seconds * RATE_PER_SEC, ratePerSec: RATE_PER_SEC });

export function semanticsScenarios(): Scenario[] {
  return [
    semanticsScenario({
      name: 'semantics/acks-0/leader-hangs-then-dies',
      description:
        'acks=0: the leader of partition 0 freezes (SIGSTOP) at 3 s and is killed at 6 s. The producer counts every message ' +
        'written to the socket as sent, so what went into the frozen leader is "acked" and lost, and no error is ever raised.',
      client: 'node-rdkafka',
      config: { acks: 0, retries: 0 },
      faults: [
        { kind: 'pause', target: 'leaderOf(0)', atMs: 3_000 },
        { kind: 'kill', target: 'leaderOf(0)', atMs: 6_000, healAtMs: 8_000 },
      ],
      workload: workloadFor(12),
      shows: { lostAcked: { gt: 0 } },
    }),
    semanticsScenario({
      name: 'semantics/acks-1/failover-to-a-follower-that-fell-behind',
      description:
        'acks=1: both followers of partition 0 freeze (SIGSTOP) at 3 s while the leader keeps confirming writes on its own; ' +
        'the leader is killed at 6 s, the followers resume at 6.5 s and one of them, still in the ISR, is elected. What the ' +
        'old leader confirmed in between is gone (min.insync.replicas does not apply to acks=1).',
      client: 'node-rdkafka',
      config: { acks: 1, retries: 2 },
      faults: [
        { kind: 'pause', target: 'k2', atMs: 3_000, healAtMs: 6_500 },
        { kind: 'pause', target: 'k3', atMs: 3_000, healAtMs: 6_500 },
        { kind: 'kill', target: 'leaderOf(0)', atMs: 6_000, healAtMs: 9_000 },
      ],
      workload: workloadFor(14),
      shows: { lostAcked: { gt: 0 } },
    }),
    semanticsScenario({
      name: 'semantics/acks-all-min-isr-2/isr-shrinks',
      description:
        'acks=all, min.insync.replicas=2: the followers of partition 0 cannot fetch from 2 s to 12 s (its replication link ' +
        'refuses), so the ISR shrinks to the leader alone; the broker then refuses writes with NOT_ENOUGH_REPLICAS, which ' +
        'the producer reports, and nothing it was told is written goes missing.',
      client: 'node-rdkafka',
      config: { acks: 'all', minInsyncReplicas: 2, retries: 2 },
      faults: [{ kind: 'refuse', target: 'leaderOf(0)', link: 'replication', atMs: 2_000, healAtMs: 12_000 }],
      workload: workloadFor(14),
      shows: { failed: { gt: 0 } },
    }),
    semanticsScenario({
      name: 'semantics/acks-all-min-isr-1/unclean-failover',
      description:
        'acks=all, min.insync.replicas=1, unclean.leader.election.enable=true: the followers of partition 0 cannot fetch from ' +
        '1 s, the ISR shrinks to the leader, which goes on confirming acks=all writes alone; it is killed at 9.5 s and, with no ' +
        'ISR member left, a follower that missed those writes is elected uncleanly.',
      client: 'node-rdkafka',
      config: { acks: 'all', minInsyncReplicas: 1, uncleanLeaderElection: true, retries: 2 },
      faults: [
        { kind: 'refuse', target: 'leaderOf(0)', link: 'replication', atMs: 1_000, healAtMs: 11_000 },
        { kind: 'kill', target: 'leaderOf(0)', atMs: 9_500, healAtMs: 11_500 },
      ],
      workload: workloadFor(14),
      shows: { lostAcked: { gt: 0 } },
    }),
    semanticsScenario({
      name: 'semantics/retries-without-idempotence/ack-loss',
      description:
        'retries=5 without idempotence: from 2 s to 5 s the responses of partition 0\'s leader never reach the producer while ' +
        'its requests still do. Requests time out, are sent again after the heal, and the broker writes them twice.',
      client: 'node-rdkafka',
      config: { acks: 'all', idempotent: false, retries: 5, maxInFlight: 5, requestTimeoutMs: 1_000, deliveryTimeoutMs: 15_000 },
      faults: [{ kind: 'ack-loss', target: 'leaderOf(0)', atMs: 2_000, healAtMs: 5_000 }],
      workload: workloadFor(8),
      shows: { duplicates: { gt: 0 } },
    }),
    semanticsScenario({
      name: 'semantics/idempotent/ack-loss',
      description:
        'The same ack-loss with enable.idempotence=true: the retried requests carry the sequence numbers of the first attempt ' +
        'and the broker drops what it already wrote — no duplicates, order kept.',
      client: 'node-rdkafka',
      config: { acks: 'all', idempotent: true, retries: 5, maxInFlight: 5, requestTimeoutMs: 1_000, deliveryTimeoutMs: 15_000 },
      faults: [{ kind: 'ack-loss', target: 'leaderOf(0)', atMs: 2_000, healAtMs: 5_000 }],
      workload: workloadFor(8),
      shows: {},
    }),
    semanticsScenario({
      name: 'semantics/in-flight-5-without-idempotence/reordering',
      description:
        'max.in.flight=5 with retries and without idempotence: 100 ms of latency each way keeps several requests in flight, ' +
        'and the followers of partition 0 cannot fetch from 2 s to 10 s. Batches the leader appended wait for them and fail ' +
        '(REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS_AFTER_APPEND) although written; retried behind later batches, their second ' +
        'copy is read after later seqs (reordered). Distinct messages overtaking each other needs a refused batch and an ' +
        'accepted one in flight at the instant the ISR grows back: possible, rarely caught.',
      client: 'node-rdkafka',
      config: { acks: 'all', minInsyncReplicas: 2, idempotent: false, retries: 1_000, maxInFlight: 5, deliveryTimeoutMs: 25_000 },
      faults: REORDERING_FAULTS,
      workload: workloadFor(14),
      shows: { reordered: { gt: 0 } },
    }),
    semanticsScenario({
      name: 'semantics/in-flight-5-idempotent/order-kept',
      description:
        'The same with enable.idempotence=true: a retried batch carries its first sequence numbers, so the broker drops the ' +
        'copy it already wrote, and a batch behind a refused one is rejected as out of sequence and retried in order: ' +
        'partition order survives with 5 requests in flight.',
      client: 'node-rdkafka',
      config: { acks: 'all', minInsyncReplicas: 2, idempotent: true, retries: 1_000, maxInFlight: 5, deliveryTimeoutMs: 25_000 },
      faults: REORDERING_FAULTS,
      workload: workloadFor(14),
      shows: {},
    }),
    semanticsScenario({
      name: 'semantics/buffer-full/queue-full',
      description:
        'A producer buffer of 20 messages (queue.buffering.max.messages) while partition 0\'s leader is blackholed from 1 s: ' +
        'its messages pile up in the queue until it is full, and further sends fail at once with QUEUE_FULL (never sent, so ' +
        'a definite failure) instead of blocking or vanishing.',
      client: 'node-rdkafka',
      config: { raw: { 'queue.buffering.max.messages': 20 } },
      faults: [{ kind: 'blackhole', target: 'leaderOf(0)', atMs: 1_000, healAtMs: 6_000 }],
      workload: { ...workloadFor(8), ratePerSec: 200, messages: 1_600 },
      shows: { failed: { gt: 0 } },
    }),
  ];
}
