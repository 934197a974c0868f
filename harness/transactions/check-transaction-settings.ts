import { HarnessError } from '../errors';
import type { ProducerSettings } from '../clients/producer-under-test';
import { isTransactionalClient, TRANSACTIONAL_CLIENTS } from './transactional-clients';
import { checkCopierSettings } from './copier-settings';
import { DEFAULT_TRANSACTION_SETTINGS, type TransactionSettings } from './transaction-settings';

function fail(where: string, problem: string, fix: string): never {
  throw new HarnessError(`${where}: ${problem}`, { hint: fix });
}

function positiveInteger(where: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) fail(where, `${JSON.stringify(value)} is not a positive integer`, 'give e.g. 10');
}

/**
 * A scenario's `transactions` field, checked (one error naming the field) with the defaults applied.
 * @param where e.g. `scenario "x".transactions`
 */
export function checkTransactionSettings(where: string, client: string, input: unknown, config: Pick<ProducerSettings, 'deliveryTimeoutMs'>): TransactionSettings {
  if (!input || typeof input !== 'object' || Array.isArray(input)) fail(where, 'is not an object', 'give e.g. { transactions: 20, abortShare: 0.3 }');
  if (!isTransactionalClient(client)) fail(where, `client ${JSON.stringify(client)} has no transactional producer here`, `use ${Object.keys(TRANSACTIONAL_CLIENTS).join(' or ')}`);
  const { copier, ...rest } = input as Partial<TransactionSettings>;
  const settings: TransactionSettings = { ...DEFAULT_TRANSACTION_SETTINGS, ...rest };
  for (const key of Object.keys(settings)) {
    if (!(key in DEFAULT_TRANSACTION_SETTINGS)) fail(`${where}.${key}`, 'unknown field', `known fields: ${Object.keys(DEFAULT_TRANSACTION_SETTINGS).join(', ')}`);
  }
  for (const key of ['transactions', 'messagesPerTransaction', 'transactionTimeoutMs', 'maxAttempts'] as const) positiveInteger(`${where}.${key}`, settings[key]);
  if (typeof settings.pauseMs !== 'number' || !(settings.pauseMs >= 0)) fail(`${where}.pauseMs`, `${JSON.stringify(settings.pauseMs)} is not a non-negative number`, 'give e.g. 100');
  if (typeof settings.abortShare !== 'number' || !(settings.abortShare >= 0 && settings.abortShare <= 1)) fail(`${where}.abortShare`, `${JSON.stringify(settings.abortShare)} is not between 0 and 1`, 'give e.g. 0.3 to abort 30 % of the transactions on purpose');
  if (typeof settings.transactionalId !== 'string' || !settings.transactionalId.trim()) fail(`${where}.transactionalId`, 'is empty', 'give e.g. "kchaos-txn"');
  // librdkafka refuses message.timeout.ms above transaction.timeout.ms; kafkajs would let a send outlive its transaction.
  if (config.deliveryTimeoutMs > settings.transactionTimeoutMs) {
    fail(`${where}.transactionTimeoutMs`, `${settings.transactionTimeoutMs} is below config.deliveryTimeoutMs ${config.deliveryTimeoutMs}`, 'raise transactionTimeoutMs or lower deliveryTimeoutMs');
  }
  return copier === undefined ? settings : { ...settings, copier: checkCopierSettings(`${where}.copier`, copier) };
}
