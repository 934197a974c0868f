import fs from 'node:fs';
import path from 'node:path';
import type { MeasuredSummary } from '../reports/measured-table';
import { BROKER_KILL_NOT_PINNED, isTransactionsMeasuredCase, transactionsNotPinnedReason } from './transactions-expectations';
import { ackLossComparison, transactionCases, transactionScenario } from './transactions.suite';
import { expectPinsFitMeasured, measuredByName } from './testing/pin-fits-measured';

// The transactions suite's pins against docs/measured/transactions-repeat.json: each holds over
// the measured range and sits just outside it, as the seed's and the partitions suite's do.
// Java's rows were measured on their own (docs/measured/transactions-java-repeat.json).
const summary = (file: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'measured', file), 'utf8')) as MeasuredSummary;
const byName = new Map([...measuredByName(summary('transactions-repeat.json')), ...measuredByName(summary('transactions-java-repeat.json'))]);
const pinned = [...transactionCases().filter(isTransactionsMeasuredCase).map(transactionScenario), ...ackLossComparison()];

test('every pinned row is in the measured file, each run at least 5 times', () => {
  expect(pinned).toHaveLength(33);
  expect(pinned.map((s) => s.name).filter((name) => (byName.get(name)?.runs ?? 0) < 5)).toEqual([]);
});

test.each(pinned.map((s) => [s.name, s] as const))('%s: every pin holds over the measured range and sits just outside it', (name, scenario) => {
  expectPinsFitMeasured(name, scenario.expect, byName.get(name)!.ranges);
});

test(`broker-kill rows not re-measured with the 180 s restart wait are not pinned (${BROKER_KILL_NOT_PINNED}) and say so in their description`, () => {
  const kills = transactionCases().filter((c) => c.fault === 'broker-kill');
  expect(kills).toHaveLength(8);
  expect(kills.filter(isTransactionsMeasuredCase).map((c) => `${c.client}/${c.mode}`)).toEqual(['kafkajs/commit', 'kafkajs/abort-30', 'node-rdkafka/commit', 'node-rdkafka/abort-30', 'java/commit', 'java/abort-30']);
  for (const s of kills.filter((c) => !isTransactionsMeasuredCase(c)).map(transactionScenario)) expect(s.description).toContain(BROKER_KILL_NOT_PINNED);
});

test('a broker kill: node-rdkafka and Java pinned at Kafka\'s promise, kafkajs at its measured loss of a moved partition\'s records', () => {
  const kill = (client: 'kafkajs' | 'node-rdkafka' | 'java') => transactionScenario({ client, mode: 'commit', fault: 'broker-kill' }).expect;
  expect(kill('java')).toMatchObject({ committedLost: 0, abortedRead: 0, tornTransactions: 0, duplicatesAcrossTransactions: 0, duplicates: 0 });
  expect(kill('node-rdkafka')).toMatchObject({ committedLost: 0, abortedRead: 0, tornTransactions: 0, duplicatesAcrossTransactions: 0, duplicates: 0 });
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
