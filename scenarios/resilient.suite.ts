import type { ExpectationSpec } from '../harness/checker/check-types';
import { FAULT_KINDS, FaultSpec } from '../harness/faults/fault-spec';
import { HARNESS_KEYED_POLICY } from '../harness/resilient/harness-keyed-policy';
import { RESILIENT_CLIENTS, ResilientClient } from '../harness/resilient/resilient-options';
import { STRATEGY_NAMES, StrategyName } from '../harness/strategies/partition-strategy';
import { defineScenario } from './define-scenario';
import type { Scenario } from './scenario';
import { MID_RUN_FAULT_AT_MS } from './seed.suite';

/**
 * The fix proven on the seed's scenario: nothing attempted is lost, nothing acknowledged is lost.
 * Duplicates are measured and reported, not expected away: a probe or an attempt that timed out
 * through a blackhole is sent again elsewhere, and the blackhole delivers its copy when it heals.
 */
const LOSES_NOTHING: ExpectationSpec = { undelivered: 0, lostAcked: 0 };

/** flap: disabled and enabled every FLAP_PERIOD_MS while the workload runs. @default 500 */
const FLAP_PERIOD_MS = 500;

type FaultInput = Pick<FaultSpec, 'kind' | 'target' | 'atMs'> & { periodMs?: number };

/** The seed's fault (the producer cannot reach k1, the cluster is healthy), four ways. */
const FAULTS: Record<string, { fault: FaultInput; says: string }> = {
  'blackhole-k1': { fault: { kind: 'blackhole', target: 'k1', atMs: 0 }, says: 'k1 blackholed from the start' },
  'blackhole-k1-midrun': { fault: { kind: 'blackhole', target: 'k1', atMs: MID_RUN_FAULT_AT_MS }, says: `k1 blackholed from ${MID_RUN_FAULT_AT_MS} ms` },
  'refuse-k1': { fault: { kind: 'refuse', target: 'k1', atMs: 0 }, says: 'k1 refuses connections from the start' },
  // Only once the fault catalogue has flap.
  ...((FAULT_KINDS as readonly string[]).includes('flap')
    ? { 'flap-k1': { fault: { kind: 'flap' as FaultSpec['kind'], target: 'k1', atMs: 0, periodMs: FLAP_PERIOD_MS }, says: `k1 flapping (refused / reachable every ${FLAP_PERIOD_MS} ms) from the start` } }
    : {}),
};

export const RESILIENT_FAULTS = Object.keys(FAULTS);

export interface ResilientCase {
  client: ResilientClient;
  strategy: StrategyName;
  /** A key of FAULTS, or 'no-fault' (the control). */
  fault: string;
}

export function resilientCaseName(c: ResilientCase): string {
  return `resilient/${c.client}/${c.strategy}/${c.fault}`;
}

export function resilientScenario(c: ResilientCase): Scenario {
  const entry = FAULTS[c.fault];
  const policy = c.strategy === 'round-robin' ? 'unkeyed' : `keyed policy '${HARNESS_KEYED_POLICY[c.strategy]}'`;
  return defineScenario({
    name: resilientCaseName(c),
    description: entry
      ? `The resilient producer (${policy}, on-disk backlog) while the producer cannot reach k1: ${entry.says}; k1 leads partition 0.`
      : `Control: the resilient producer (${policy}) with no fault.`,
    client: c.client,
    strategy: c.strategy,
    mode: 'resilient',
    faults: entry ? [entry.fault] : [],
    expect: LOSES_NOTHING,
  });
}

/** `resilient`: fault × strategy × client (kafkajs, node-rdkafka), plus a no-fault control per client. */
export function resilientCases(): ResilientCase[] {
  const cases: ResilientCase[] = [];
  for (const client of RESILIENT_CLIENTS) {
    cases.push({ client, strategy: 'round-robin', fault: 'no-fault' });
    for (const fault of RESILIENT_FAULTS) {
      for (const strategy of STRATEGY_NAMES) cases.push({ client, strategy, fault });
    }
  }
  return cases;
}
