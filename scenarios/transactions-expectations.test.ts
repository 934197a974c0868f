import fs from 'node:fs';
import path from 'node:path';
import type { MeasuredSummary } from '../reports/measured-table';
import { isTransactionsMeasuredCase, transactionsNotPinnedReason } from './transactions-expectations';
import { ackLossComparison, TRANSACTION_CLIENTS, TRANSACTION_PROMISE, transactionCases, transactionScenario } from './transactions.suite';
import { expectPinsFitMeasured, measuredByName } from './testing/pin-fits-measured';

// The transactions suite's pins against docs/measured/transactions-repeat.json: each holds over
// the measured range and sits just outside it, as the seed's and the partitions suite's do.
// Java's rows were measured on their own (docs/measured/transactions-java-repeat.json).
const summary = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'measured', file), 'utf8')) as MeasuredSummary;
const byName = new Map([...measuredByName(summary('transactions-repeat.json')), ...measuredByName(summary('transactions-java-repeat.json'))]);
const pinned = [...transactionCases().filter(isTransactionsMeasuredCase).map(transactionScenario), ...ackLossComparison()];

test('every pinned row is in the measured file, each run at least 5 times', () => {
  expect(pinned).toHaveLength(35);
  expect(pinned.map((s) => s.name).filter((name) => (byName.get(name)?.runs ?? 0) < 5)).toEqual([]);
});

test.each(pinned.map((s) => [s.name, s] as const))('%s: every pin holds over the measured range and sits just outside it', (name, scenario) => {
  expectPinsFitMeasured(name, scenario.expect, byName.get(name)!.ranges);
});

test('every row is pinned, the broker-kill rows included (measured with the 180 s restart wait)', () => {
  expect(transactionCases().filter((c) => !isTransactionsMeasuredCase(c))).toEqual([]);
  expect(transactionCases().filter((c) => c.fault === 'broker-kill')).toHaveLength(8);
});

test('a broker kill: node-rdkafka, Confluent and Java pinned at Kafka\'s promise, kafkajs at its measured loss of a moved partition\'s records', () => {
  const kill = (client: (typeof TRANSACTION_CLIENTS)[number]) => transactionScenario({ client, mode: 'commit', fault: 'broker-kill' }).expect;
  for (const client of ['node-rdkafka', 'confluent', 'java'] as const) expect(kill(client)).toMatchObject(TRANSACTION_PROMISE);
  expect(kill('kafkajs')).toMatchObject({ committedLost: { lte: 2 }, abortedRead: 0, tornTransactions: { lte: 1 }, duplicatesAcrossTransactions: 0 });
});

test('rows without pins say why in their description', () => {
  for (const c of transactionCases().filter((c) => !isTransactionsMeasuredCase(c))) expect(transactionScenario(c).description).toContain(transactionsNotPinnedReason(c)!);
});

test('seed 2, pinned: acks=all alone duplicates under ack loss, idempotence and transactions do not', () => {
  const [alone, idempotent, transactional] = ackLossComparison();
  expect(alone.expect.duplicates).toEqual({ gt: 0 });
  expect(idempotent.expect.duplicates).toBe(0);
  expect(transactional.expect).toMatchObject({ duplicates: 0, committedLost: 0, abortedRead: 0, tornTransactions: 0, duplicatesAcrossTransactions: 0 });
});
