import type { LinkFaultKind, PacketFaultKind } from '../harness/faults/fault-spec';
import { MODE_NAMES, ModeName, STRATEGY_NAMES, StrategyName } from '../harness/strategies/partition-strategy';
import { isResilientClient } from '../harness/resilient/resilient-options';
import { defineScenario } from './define-scenario';
import { seedExpectations } from './seed-expectations';
import { CLIENT_NAMES, ClientName, Scenario, ScenarioInput } from './scenario';

/** Mid-run faults start once the producer has connections to every broker. @default 1000 */
export const MID_RUN_FAULT_AT_MS = 1_000;

/**
 * One attempt's budget in the seed scenarios: 1.5 s per request, 2 s per delivery, so the
 * workaround can try ten keys or partitions within its 25 s (kafkajs has no delivery timeout: its
 * requests for a blackholed k1 answer much later, see seed-expectations.ts).
 */
export const SEED_PRODUCER_CONFIG = { requestTimeoutMs: 1_500, deliveryTimeoutMs: 2_000 };

/** 300 messages over 2 s: the mid-run fault lands halfway. */
const SEED_WORKLOAD = { messages: 300, ratePerSec: 150 };

/**
 * The Java client's sticky partitioner fills ~2 × batch.size on one partition before it moves on,
 * so 300 unkeyed messages land on p0 either almost all or not at all: with the workaround under
 * `refuse`, 3 of 10 runs of a 300-message version placed nothing on p0 (exposedSends 0): a fault
 * that never touched the producer. 1500 messages at 500/s cross
 * many partition switches, for library-only and the workaround alike.
 */
const JAVA_STICKY_WORKLOAD = { messages: 1500, ratePerSec: 500 };

/**
 * The seed's workaround with attempts bounded by its 25 s deadline rather than by a count: ten
 * attempts of ~2.4 s each.
 */
const SEED_WORKAROUND = { maxAttempts: 10 };

export interface SeedCase {
  client: ClientName;
  strategy: StrategyName;
  mode: ModeName;
  fault: LinkFaultKind | PacketFaultKind | 'none';
  midRun: boolean;
}

export function seedCaseName(c: SeedCase): string {
  const fault = c.fault === 'none' ? 'no-fault' : `${c.fault}-k1${c.midRun ? '-midrun' : ''}`;
  return `seed/${c.client}/${c.strategy}/${c.mode}/${fault}`;
}

export function seedScenario(c: SeedCase): Scenario {
  return defineScenario({ ...seedScenarioInput(c), expect: seedExpectations(c) });
}

/** A seed case's scenario before its expectations (the partitions suite gives its own). */
export function seedScenarioInput(c: SeedCase): ScenarioInput {
  const faultFree = c.fault === 'none';
  return {
    name: seedCaseName(c),
    description: faultFree
      ? 'Control: no fault; everything must arrive.'
      : `The producer cannot reach k1 (${c.fault}${c.midRun ? ', from mid-run' : ', from the start'}) while the cluster stays healthy; k1 leads partition 0.`,
    client: c.client,
    strategy: c.strategy,
    mode: c.mode,
    faults: faultFree ? [] : [{ kind: c.fault as LinkFaultKind | PacketFaultKind, target: 'k1', atMs: c.midRun ? MID_RUN_FAULT_AT_MS : 0 }],
    config: SEED_PRODUCER_CONFIG,
    workload: c.client === 'java' && c.strategy === 'round-robin' && c.mode !== 'resilient' && !faultFree ? JAVA_STICKY_WORKLOAD : SEED_WORKLOAD,
    workaround: SEED_WORKAROUND,
  };
}

const library = (mode: ModeName) => mode === 'library-only';

/**
 * `seed`: k1 blackholed from the start × client × strategy × mode; library-only also with the
 * fault from mid-run; refuse instead of blackhole for round-robin; a no-fault control per client;
 * mode resilient (blackhole from the start) for the clients the resilient producer drives.
 */
export function seedCases(): SeedCase[] {
  const cases: SeedCase[] = [];
  for (const client of CLIENT_NAMES) {
    cases.push({ client, strategy: 'round-robin', mode: 'library-only', fault: 'none', midRun: false });
    for (const strategy of STRATEGY_NAMES) {
      for (const mode of MODE_NAMES.filter((m) => m !== 'resilient')) {
        cases.push({ client, strategy, mode, fault: 'blackhole', midRun: false });
        if (library(mode)) cases.push({ client, strategy, mode, fault: 'blackhole', midRun: true });
        if (strategy === 'round-robin') cases.push({ client, strategy, mode, fault: 'refuse', midRun: false });
      }
      // The fix (KAFKA-3686) on the seed's own scenario; the full matrix is the `resilient` suite.
      if (isResilientClient(client)) cases.push({ client, strategy, mode: 'resilient', fault: 'blackhole', midRun: false });
    }
  }
  return cases;
}

/** `seed-full`: every fault start × refuse/blackhole × client × strategy × mode, plus the controls. */
export function seedFullCases(): SeedCase[] {
  const cases: SeedCase[] = [];
  for (const client of CLIENT_NAMES) {
    cases.push({ client, strategy: 'round-robin', mode: 'library-only', fault: 'none', midRun: false });
    for (const strategy of STRATEGY_NAMES) {
      for (const mode of MODE_NAMES.filter((m) => m !== 'resilient')) {
        for (const fault of ['blackhole', 'refuse'] as const) {
          for (const midRun of [false, true]) cases.push({ client, strategy, mode, fault, midRun });
        }
      }
    }
  }
  return cases;
}
