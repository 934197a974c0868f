import { SUITES } from './suites';
import { ackLossComparison, transactionCases, transactionScenario, TRANSACTION_PROMISE } from './transactions.suite';

test('the transactions suite: 4 clients × 2 modes × 4 faults, the three-way ack-loss comparison, 4 copiers × 6 faults, unique names', () => {
  const scenarios = SUITES.transactions();
  expect(transactionCases()).toHaveLength(32);
  expect(scenarios).toHaveLength(59);
  expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
});

test('every transactional scenario holds the promise; the coordinator cut targets its own transactional id', () => {
  const scenario = transactionScenario({ client: 'node-rdkafka', mode: 'abort-30', fault: 'coordinator-cut' });
  expect(scenario.expect).toMatchObject(TRANSACTION_PROMISE);
  expect(scenario.transactions).toMatchObject({ abortShare: 0.3, transactionalId: 'kchaos-txn-node-rdkafka' });
  expect(scenario.faults[0]).toMatchObject({ kind: 'refuse', target: 'transactionCoordinatorOf(kchaos-txn-node-rdkafka)' });
});

test('the ack-loss comparison differs only in idempotence and transactions', () => {
  const [alone, idempotent, transactional] = ackLossComparison();
  expect([alone.config.idempotent, idempotent.config.idempotent, transactional.config.idempotent]).toEqual([false, true, true]);
  expect([alone.transactions, idempotent.transactions]).toEqual([undefined, undefined]);
  expect(transactional.transactions).toBeDefined();
  expect(alone.faults).toEqual(transactional.faults);
});
