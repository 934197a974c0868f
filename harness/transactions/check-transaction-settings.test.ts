import { HarnessError } from '../errors';
import { checkTransactionSettings } from './check-transaction-settings';
import { abortedOnPurpose } from './transaction-settings';

const config = { deliveryTimeoutMs: 5_000 };

test('defaults apply; the abort share is spread evenly', () => {
  expect(checkTransactionSettings('t', 'kafkajs', { abortShare: 0.3 }, config)).toMatchObject({ transactions: 20, messagesPerTransaction: 6, abortShare: 0.3 });
  const aborted = Array.from({ length: 10 }, (_, i) => abortedOnPurpose(i, 0.3)).filter(Boolean).length;
  expect(aborted).toBe(3);
  expect(Array.from({ length: 10 }, (_, i) => abortedOnPurpose(i, 0)).some(Boolean)).toBe(false);
});

test.each([
  [{ abortShare: 1.5 }, 'kafkajs', /t\.abortShare: 1\.5 is not between 0 and 1/],
  [{ transactions: 0 }, 'kafkajs', /t\.transactions: 0 is not a positive integer/],
  [{ transactionz: 3 }, 'kafkajs', /t\.transactionz: unknown field/],
  [{}, 'custom', /t: client "custom" has no transactional producer/],
  [{ transactionTimeoutMs: 1_000 }, 'node-rdkafka', /t\.transactionTimeoutMs: 1000 is below config\.deliveryTimeoutMs 5000/],
])('%j for %s is refused naming the field', (input, client, message) => {
  expect(() => checkTransactionSettings('t', client, input, config)).toThrow(HarnessError);
  expect(() => checkTransactionSettings('t', client, input, config)).toThrow(message);
});

test('a copier block gets its defaults; its bad fields are refused naming the field', () => {
  expect(checkTransactionSettings('t', 'kafkajs', { copier: { processFault: 'zombie' } }, config).copier).toMatchObject({ records: 600, commitEvery: 10, processFault: 'zombie' });
  expect(() => checkTransactionSettings('t', 'kafkajs', { copier: { processFault: 'sigstop' } }, config)).toThrow(/t\.copier\.processFault: "sigstop" is not a copier process fault/);
  expect(() => checkTransactionSettings('t', 'kafkajs', { copier: { commitEvery: 0 } }, config)).toThrow(/t\.copier\.commitEvery: 0 is not a positive integer/);
  expect(() => checkTransactionSettings('t', 'kafkajs', { copier: { recordz: 5 } }, config)).toThrow(/t\.copier\.recordz: unknown field/);
});
