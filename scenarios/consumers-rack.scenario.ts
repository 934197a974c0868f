/**
 * Fetch from follower (KIP-392) under the consumer twin of KAFKA-3686: does partition 0's stall
 * under the consumer→k1 cut go away when the consumer names a rack and the brokers have racks?
 * Needs a cluster with racks: KCHAOS_BROKER_RACKS=1 kchaos run scenarios/consumers-rack.scenario.ts
 * (harness/cluster/rack-config.ts: broker k<n> in rack r<n>, RackAwareReplicaSelector). The
 * consumer is in rack r2: the leader of partition 0 (k1, rack r1) may tell it to fetch from k2.
 * - `from-start`: k1 unreachable from the start to 15 s (as the consumers suite's k1 cut).
 * - `mid-stream`: k1 unreachable from 1 s to 15 s, after the consumer had fetched from it.
 * Claims: the guarantee model's for at least once, every record processed, and the pins measured
 * 5 times (docs/measured/consumers-faults.md).
 */
import { consumerGuarantees } from '../harness/checker/consumer-guarantees';
import type { ConsumerExpectationSpec } from '../harness/checker/consumer-check-types';
import { CONSUMER_SUITE_CLIENTS, type ConsumerSuiteClient } from './consumers.suite';
import type { ScenarioInput } from './scenario';

/** The consumer's rack: not the leader's (k1 = r1), so the leader can send it to k2's replica. */
export const CONSUMER_RACK = 'r2';
export const RACK_CUTS = ['from-start', 'mid-stream'] as const;
export type RackCut = (typeof RACK_CUTS)[number];
const HEAL_MS = 15_000;

/** How each client names its rack: librdkafka and Java `client.rack`, kafkajs `rackId`. */
export function rackSetting(client: ConsumerSuiteClient): Record<string, string> {
  return client === 'kafkajs' ? { rackId: CONSUMER_RACK } : { 'client.rack': CONSUMER_RACK };
}

/**
 * Pins from docs/measured/consumers-faults.md (5 runs each with racks, 5 without), by case.
 * - from-start: fetch from follower does NOT free partition 0: its leader, the only broker that can
 *   name a preferred read replica (in a fetch response), is the one the consumer cannot reach. p0
 *   waited for the heal in 5 of 5 runs with racks as without (node-rdkafka holds p0 alone, kafkajs
 *   every partition: its fetch loop waits for the blackholed broker), as in the suite's k1 cut.
 * - mid-stream: not pinned: at load 8–18 partition 0's 50 records were fetched before the cut at
 *   1 s in every run, racks or not (nothing held), so the row showed nothing about the follower.
 * Confluent's and Java's rows are not measured.
 */
export function rackPins(client: ConsumerSuiteClient, cut: RackCut): ConsumerExpectationSpec {
  if (cut !== 'from-start') return {};
  if (client === 'kafkajs') return { heldByLinkFault: 3 };
  if (client === 'node-rdkafka') return { heldByLinkFault: 1 };
  return {};
}

export function rackScenario(client: ConsumerSuiteClient, cut: RackCut): ScenarioInput {
  return {
    name: `consumers-rack/${client}/commit-after-processing/eachMessage/blackhole-k1-${cut}`,
    description: `Consumer in rack ${CONSUMER_RACK} (brokers in racks, rack-aware replica selector); k1 (leader of partition 0) unreachable for the consumer ${cut === 'from-start' ? 'from the start' : 'from 1 s'} to ${HEAL_MS / 1000} s.`,
    client,
    faults: [{ kind: 'blackhole', target: 'k1', atMs: cut === 'from-start' ? 0 : 1_000, healAtMs: HEAL_MS }],
    consumer: {
      messages: 150,
      group: 'kchaos-consumers',
      settings: { mode: 'commit-after-processing', api: 'eachMessage', processingMs: 10, raw: rackSetting(client) },
      deadlineMs: 45_000,
      coordinatorAwayFrom: 'k1',
      expect: { ...consumerGuarantees('commit-after-processing'), unconsumed: 0, ...rackPins(client, cut) },
    },
  };
}

const scenarios: ScenarioInput[] = CONSUMER_SUITE_CLIENTS.flatMap((client) => RACK_CUTS.map((cut) => rackScenario(client, cut)));
export default scenarios;
