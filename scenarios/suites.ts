import { seedCases, seedFullCases, seedScenario } from './seed.suite';
import { partitionsCases, partitionsScenario } from './partitions.suite';
import { resilientCases, resilientScenario } from './resilient.suite';
import { semanticsScenarios } from './semantics.suite';
import { transactionsScenarios } from './transactions.suite';
import { consumerCases, consumerScenario } from './consumers.suite';
import type { Scenario } from './scenario';

/** Suites by the name `kchaos run <suite>` takes. */
export const SUITES = {
  seed: () => seedCases().map(seedScenario),
  'seed-full': () => seedFullCases().map(seedScenario),
  partitions: () => partitionsCases().map(partitionsScenario),
  resilient: () => resilientCases().map(resilientScenario),
  semantics: semanticsScenarios,
  transactions: transactionsScenarios,
  consumers: () => consumerCases().map(consumerScenario),
} as const satisfies Record<string, () => Scenario[]>;

export type SuiteName = keyof typeof SUITES;

export function isSuiteName(name: string): name is SuiteName {
  return Object.hasOwn(SUITES, name);
}
