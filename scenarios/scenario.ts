import type { ExpectationSpec } from '../harness/checker/check-types';
import type { ProducerSettings } from '../harness/clients/producer-under-test';
import type { FaultSpec } from '../harness/faults/fault-spec';
import type { ModeName, StrategyName, WorkaroundSettings } from '../harness/strategies/partition-strategy';
import type { WorkloadSettings } from '../harness/workload/workload';
import type { TransactionSettings } from '../harness/transactions/transaction-settings';
import type { ConsumerScenario, ConsumerScenarioInput } from '../harness/consumers/consumer-scenario';

export const CLIENT_NAMES = ['kafkajs', 'node-rdkafka', 'java', 'confluent'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

/** What results show as `client` when a scenario puts a team's own producer under test. */
export const CUSTOM_CLIENT = 'custom';

/**
 * A team's own producer under test (instead of a built-in `client`), either a module exporting a
 * factory `(bootstrap, settings & { topic }) => { send(message), close() }` (see
 * harness/clients/custom-producer.ts), or a child process speaking docs/producer-protocol.md.
 */
export type ProducerSpec =
  | {
      /** Path of the module (relative paths are resolved against the working directory) or a package name. */
      module: string;
      /** The factory's export name. @default 'createProducer' (else a default-exported function) */
      export?: string;
    }
  | {
      /** Program and arguments, spawned without a shell, e.g. ['node', 'producer.js']. */
      command: string[];
    };

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
  /** A built-in client, or 'custom' when `producer` is given. */
  client: ClientName | typeof CUSTOM_CLIENT;
  /** The team's own producer under test; set exactly when client is 'custom'. */
  producer?: ProducerSpec;
  strategy: StrategyName;
  mode: ModeName;
  faults: FaultSpec[];
  config: ScenarioConfig;
  workload: WorkloadSettings;
  workaround: WorkaroundSettings;
  /** ms between healing and draining, so held data and retries land. @default 1000 */
  settleMs: number;
  expect: ExpectationSpec;
  /** A transactions scenario: `client`'s transactional producer runs this workload (harness/transactions/). */
  transactions?: TransactionSettings;
  /** A consumer scenario: the harness fills the topic and `client`'s consumer reads it under the faults (harness/consumers/). */
  consumer?: ConsumerScenario;
}

/** What a scenario author writes: a name and a client (or their own producer), everything else optional. */
export interface ScenarioInput {
  name: string;
  description?: string;
  /** A built-in client; leave it out (or write 'custom') when giving `producer`. */
  client?: ClientName | typeof CUSTOM_CLIENT;
  /** The team's own producer under test, instead of a built-in client. */
  producer?: ProducerSpec;
  strategy?: StrategyName;
  mode?: ModeName;
  faults?: Array<Partial<FaultSpec> & Pick<FaultSpec, 'kind' | 'target'>>;
  config?: Partial<ScenarioConfig>;
  workload?: Partial<WorkloadSettings>;
  workaround?: Partial<WorkaroundSettings>;
  settleMs?: number;
  expect?: ExpectationSpec;
  /** Makes this a transactions scenario (harness/transactions/transaction-settings.ts); give `expect` with the transaction counts. */
  transactions?: Partial<TransactionSettings>;
  /** Makes this a consumer scenario (harness/consumers/consumer-scenario.ts); `expect` then claims the pre-fill. */
  consumer?: ConsumerScenarioInput;
}
