import { defineScenario } from './define-scenario';
import type { Scenario, ScenarioInput } from './scenario';
import { copierCases, copierScenario } from './transactions-copier';
import { ACK_LOSS_EXPECTATIONS, isTransactionsMeasuredCase, transactionExpectations, transactionsNotPinnedReason } from './transactions-expectations';

export { TRANSACTION_PROMISE } from './transactions-expectations';

/**
 * `transactions`: each client's transactional producer under the faults a transaction must
 * survive, with a share of transactions aborted on purpose; and seed 2's claim ("acks=all gives
 * exactly once") as three scenarios side by side under ack loss: acks=all alone, idempotent, and
 * transactional read back read_committed.
 *
 * Faults act on the producer's links only (the cluster stays healthy), except the broker kill.
 * Each is on from 1 s to 4 s of a workload of about 3 s without faults, so every fault is met
 * mid-transaction. The transaction coordinator is found at scenario start from the transactional id.
 */

export const TRANSACTION_CLIENTS = ['kafkajs', 'node-rdkafka', 'confluent', 'java'] as const;
export const TRANSACTION_MODES = { commit: 0, 'abort-30': 0.3 } as const;
export type TransactionMode = keyof typeof TRANSACTION_MODES;

const FAULT_WINDOW = { atMs: 1_000, healAtMs: 4_000 };
const transactionalId = (client: string) => `kchaos-txn-${client}`;

export const TRANSACTION_FAULTS = {
  'no-fault': () => [],
  'coordinator-cut': (id: string) => [{ kind: 'refuse' as const, target: `transactionCoordinatorOf(${id})`, ...FAULT_WINDOW }],
  'leader-cut': () => [{ kind: 'refuse' as const, target: 'leaderOf(0)', ...FAULT_WINDOW }],
  'broker-kill': () => [{ kind: 'kill' as const, target: 'leaderOf(0)', ...FAULT_WINDOW }],
} satisfies Record<string, (id: string) => ScenarioInput['faults']>;
export type TransactionFault = keyof typeof TRANSACTION_FAULTS;

export interface TransactionCase {
  client: (typeof TRANSACTION_CLIENTS)[number];
  mode: TransactionMode;
  fault: TransactionFault;
}

export function transactionCases(): TransactionCase[] {
  return TRANSACTION_CLIENTS.flatMap((client) =>
    (Object.keys(TRANSACTION_MODES) as TransactionMode[]).flatMap((mode) => (Object.keys(TRANSACTION_FAULTS) as TransactionFault[]).map((fault) => ({ client, mode, fault }))),
  );
}

/** Expectations: measured pins (scenarios/transactions-expectations.ts); a row without them would say why in its description. */
export function transactionScenario(c: TransactionCase): Scenario {
  const { client, mode, fault } = c;
  const id = transactionalId(client);
  const unpinned = isTransactionsMeasuredCase(c) ? '' : ` Expectations: ${transactionsNotPinnedReason(c)}.`;
  return defineScenario({
    name: `transactions/${client}/${mode}/${fault}`,
    description: `${client}'s transactional producer, ${mode === 'commit' ? 'every transaction committed' : '30 % of transactions aborted on purpose'}, ${fault}; read back read_committed and read_uncommitted.${unpinned}`,
    client,
    config: { acks: 'all', idempotent: true, retries: 5, requestTimeoutMs: 2_000, deliveryTimeoutMs: 5_000 },
    faults: TRANSACTION_FAULTS[fault](id),
    transactions: { transactions: 20, messagesPerTransaction: 6, abortShare: TRANSACTION_MODES[mode], transactionalId: id, transactionTimeoutMs: 10_000 },
    expect: transactionExpectations(c),
  });
}

/** The ack-loss of the semantics suite: partition 0's leader's answers held from 2 s to 5 s, requests let through. */
const ACK_LOSS: ScenarioInput['faults'] = [{ kind: 'ack-loss', target: 'leaderOf(0)', atMs: 2_000, healAtMs: 5_000 }];
const ACK_LOSS_CONFIG = { acks: 'all' as const, retries: 5, maxInFlight: 5, requestTimeoutMs: 1_000, deliveryTimeoutMs: 15_000 };

/** Seed 2's claim, three ways, node-rdkafka (as the semantics suite: librdkafka reports every message's outcome). */
export function ackLossComparison(): Scenario[] {
  return [
    defineScenario({
      name: 'transactions/ack-loss/acks-all-alone',
      description: 'acks=all, retries=5, no idempotence: requests whose answers are lost are sent again and written twice.',
      client: 'node-rdkafka',
      config: { ...ACK_LOSS_CONFIG, idempotent: false },
      faults: ACK_LOSS,
      workload: { messages: 800, ratePerSec: 100 },
      expect: ACK_LOSS_EXPECTATIONS['acks-all-alone'],
    }),
    defineScenario({
      name: 'transactions/ack-loss/idempotent',
      description: 'The same with enable.idempotence=true: the broker drops the resent copies it already wrote.',
      client: 'node-rdkafka',
      config: { ...ACK_LOSS_CONFIG, idempotent: true },
      faults: ACK_LOSS,
      workload: { messages: 800, ratePerSec: 100 },
      expect: ACK_LOSS_EXPECTATIONS.idempotent,
    }),
    defineScenario({
      name: 'transactions/ack-loss/transactional-read-committed',
      description: 'The same as transactions of 10 messages read back read_committed; a transaction not confirmed is aborted and sent again.',
      client: 'node-rdkafka',
      config: { ...ACK_LOSS_CONFIG, idempotent: true },
      faults: ACK_LOSS,
      transactions: { transactions: 60, messagesPerTransaction: 10, transactionalId: transactionalId('ack-loss'), transactionTimeoutMs: 20_000, pauseMs: 50 },
      expect: ACK_LOSS_EXPECTATIONS['transactional-read-committed'],
    }),
  ];
}

export function transactionsScenarios(): Scenario[] {
  return [...transactionCases().map(transactionScenario), ...ackLossComparison(), ...copierCases().map(copierScenario)];
}
