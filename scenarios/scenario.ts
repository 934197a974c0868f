import type { ExpectationSpec } from '../harness/checker/check-types';
import type { ProducerSettings } from '../harness/clients/producer-under-test';
import type { FaultSpec } from '../harness/faults/fault-spec';
import type { ModeName, StrategyName, WorkaroundSettings } from '../harness/strategies/partition-strategy';
import type { WorkloadSettings } from '../harness/workload/workload';

export const CLIENT_NAMES = ['kafkajs', 'node-rdkafka'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

/** Topic-side settings of a scenario. */
export interface TopicSettings {
  /** Topic min.insync.replicas. @default 2 */
  minInsyncReplicas: number;
  /** unclean.leader.election.enable. @default false */
  uncleanLeaderElection: boolean;
}

/** Everything a scenario's config may hold: producer settings plus topic settings. */
export type ScenarioConfig = ProducerSettings & TopicSettings;

/** A fully resolved scenario: every default applied, every field validated. */
export interface Scenario {
  /** Unique, slash-separated, e.g. "seed/kafkajs/round-robin/library-only/blackhole-k1". */
  name: string;
  description?: string;
  client: ClientName;
  strategy: StrategyName;
  mode: ModeName;
  faults: FaultSpec[];
  config: ScenarioConfig;
  workload: WorkloadSettings;
  workaround: WorkaroundSettings;
  /** ms between healing and draining, so held data and retries land. @default 1000 */
  settleMs: number;
  expect: ExpectationSpec;
}

/** What a scenario author writes: a name and a client, everything else optional. */
export interface ScenarioInput {
  name: string;
  description?: string;
  client: ClientName;
  strategy?: StrategyName;
  mode?: ModeName;
  faults?: Array<Partial<FaultSpec> & Pick<FaultSpec, 'kind' | 'target'>>;
  config?: Partial<ScenarioConfig>;
  workload?: Partial<WorkloadSettings>;
  workaround?: Partial<WorkaroundSettings>;
  settleMs?: number;
  expect?: ExpectationSpec;
}
