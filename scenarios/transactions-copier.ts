import type { ExpectationSpec } from '../harness/checker/check-types';
import { DEFAULT_COPIER_SETTINGS, type CopierProcessFault } from '../harness/transactions/copier-settings';
import { defineScenario } from './define-scenario';
import type { Scenario, ScenarioInput } from './scenario';

/**
 * The consume-transform-produce copier (kafkatest's TransactionalMessageCopier, the idea): the
 * harness fills an input topic (600 records, all acked), a copier in a child process reads it
 * read_committed and writes each record to an output topic in transactions of 10 that carry the
 * consumer's offsets (sendOffsetsToTransaction), under one fault; the output read back
 * read_committed must hold every input record exactly once.
 *
 * Link and broker faults act on the copier's links to the OUTPUT topic's brokers (and its
 * transaction coordinator), on from 1 s to 4 s after the copier is ready; the process faults act
 * on the copier itself at 1.5 s.
 */
export const COPIER_CLIENTS = ['node-rdkafka', 'confluent', 'kafkajs', 'java'] as const;
export type CopierClientName = (typeof COPIER_CLIENTS)[number];

const FAULT_WINDOW = { atMs: 1_000, healAtMs: 4_000 };

export const COPIER_FAULTS = {
  none: { faults: () => [], process: 'none' },
  'broker-bounce': { faults: () => [{ kind: 'kill' as const, target: 'leaderOf(0)', ...FAULT_WINDOW }], process: 'none' },
  'coordinator-cut': { faults: (id: string) => [{ kind: 'refuse' as const, target: `transactionCoordinatorOf(${id})`, ...FAULT_WINDOW }], process: 'none' },
  'leader-cut': { faults: () => [{ kind: 'refuse' as const, target: 'leaderOf(0)', ...FAULT_WINDOW }], process: 'none' },
  'copier-kill': { faults: () => [], process: 'kill' },
  'copier-zombie': { faults: () => [], process: 'zombie' },
} satisfies Record<string, { faults: (id: string) => ScenarioInput['faults']; process: CopierProcessFault }>;
export type CopierFault = keyof typeof COPIER_FAULTS;

export interface CopierCase {
  client: CopierClientName;
  fault: CopierFault;
}

/**
 * kafkatest's assertion as the harness's counts (checkCopy in copy-check.json says the same per
 * record): every acked input record copied (lostAcked 0), none twice (duplicates 0), no record of
 * an aborted copier transaction read (abortedRead 0), nothing the input never held (unexpected 0),
 * and the transactions' own promise; at least 59 commits confirmed (600 records in transactions of
 * at most 10 need 60; every run of the 21 pinned rows gave 60, except kafkajs/copier-zombie 59–60: a
 * resumed zombie's commit landed but its answer timed out, so that transaction is unknown, its
 * records rightly visible). Kafka's promise, held in every measured run of the pinned rows
 * (docs/measured/transactions-copier-repeat.md, 5 runs per row).
 */
export const COPY_EXACTLY_ONCE: ExpectationSpec = {
  lostAcked: 0, duplicates: 0, abortedRead: 0, unexpected: 0, committedLost: 0, tornTransactions: 0, duplicatesAcrossTransactions: 0, txnCommitted: { gte: 59 },
};

/**
 * librdkafka's assign()ed consumer whose first OffsetFetch is answered NOT_COORDINATOR as a whole
 * never fetches. Caught with `debug: cgrp,protocol` in 2 of 12 fresh-cluster attempts (one each client)
 * (docs/measured/transactions-copier-stall-2026-12-01.md): the group coordinator had just become
 * leader of its new __consumer_offsets partition and had not loaded it; librdkafka refreshed the
 * coordinator (the same broker) and never asked for the committed offsets again.
 */
const FRESH_CLUSTER_STALL =
  "the first librdkafka copier on a fresh cluster copied nothing in 120 s: its consumer's one OffsetFetch met a group coordinator that had not yet loaded its new __consumer_offsets partition and was answered NOT_COORDINATOR as a whole, and librdkafka (node-rdkafka's 2.12.0, and Confluent's own 2.15.1 when re-measured) refreshes the coordinator but never asks for the committed offsets again, so no fetcher starts (caught with debug: docs/measured/transactions-copier-stall-2026-12-01.md; librdkafka issue #5586)";
/**
 * Rows left out of the pinned set, each with its reason (filled from
 * docs/measured/transactions-copier-repeat.md): they keep Kafka's promise as expectation; their runs
 * did not all hold it, for the client's reason above, which any first copier on a fresh cluster may meet.
 */
export const COPIER_NOT_PINNED: Partial<Record<`${CopierClientName}/${CopierFault}`, string>> = {
  'node-rdkafka/broker-bounce': `not pinned: re-measured with the 180 s restart wait and the idempotent input fill, 5 of 5 runs at load 14–25 copied exactly once; but in the first pass (60 s wait, load 16–29) 1 of 5 runs, the first on its fresh cluster, met the stall: ${FRESH_CLUSTER_STALL}`,
  'confluent/broker-bounce': `not pinned: 4 of 5 runs at load 19–31 copied exactly once, and again 4 of 5 on its own librdkafka 2.15.1 (2026-12-01, load 2–5: the first run on its fresh cluster copied nothing, ERR_NOT_COORDINATOR, so 2.15.1 stalls the same way); in 1 ${FRESH_CLUSTER_STALL}`,
  'node-rdkafka/none': `not pinned: 4 of 5 runs copied exactly once; in 1 ${FRESH_CLUSTER_STALL}`,
};

export function isCopierMeasuredCase(c: CopierCase): boolean {
  return COPIER_NOT_PINNED[`${c.client}/${c.fault}`] === undefined;
}

export function copierCases(): CopierCase[] {
  return COPIER_CLIENTS.flatMap((client) => (Object.keys(COPIER_FAULTS) as CopierFault[]).map((fault) => ({ client, fault })));
}

export function copierScenario({ client, fault }: CopierCase): Scenario {
  const id = `kchaos-copier-${client}`;
  const { faults, process } = COPIER_FAULTS[fault];
  const unpinned = COPIER_NOT_PINNED[`${client}/${fault}`];
  return defineScenario({
    name: `transactions/copier/${client}/${fault}`,
    description: `${client} copies 600 records input → output read_committed in transactions of 10 with its consumer offsets, ${fault}; the output must hold the input exactly once.${unpinned ? ` Expectations: ${unpinned}.` : ''}`,
    client,
    config: { acks: 'all', idempotent: true, retries: 5, requestTimeoutMs: 2_000, deliveryTimeoutMs: 5_000 },
    faults: faults(id),
    transactions: { transactionalId: id, transactionTimeoutMs: 10_000, copier: { ...DEFAULT_COPIER_SETTINGS, processFault: process } },
    expect: COPY_EXACTLY_ONCE,
  });
}
