import type { CopierSettings } from './copier-settings';

/** A transactions scenario's workload (scenario.transactions); validated by checkTransactionSettings. */
export interface TransactionSettings {
  /** Transactions begun, retries of unconfirmed commits not counted. @default 20 */
  transactions: number;
  /** Messages sent inside each transaction, over every partition. @default 6 */
  messagesPerTransaction: number;
  /** Share of transactions aborted on purpose (0 to 1, spread evenly). @default 0 */
  abortShare: number;
  /** transactional.id; fault targets name it: transactionCoordinatorOf(<id>). @default 'kchaos-txn' */
  transactionalId: string;
  /** transaction.timeout.ms (kafkajs transactionTimeout); librdkafka's end calls take it as their own bound. @default 10000 */
  transactionTimeoutMs: number;
  /** A transaction whose commit is not confirmed is sent again, same seqs, in a new one, up to this many transactions in all. @default 2 */
  maxAttempts: number;
  /** Pause between transactions. @default 100 */
  pauseMs: number;
  /**
   * Present: the scenario is a consume-transform-produce copy (harness/transactions/copier-*.ts)
   * instead of the transactional workload; transactionalId and transactionTimeoutMs are the copier's.
   */
  copier?: CopierSettings;
}

export const DEFAULT_TRANSACTION_SETTINGS: TransactionSettings = {
  transactions: 20,
  messagesPerTransaction: 6,
  abortShare: 0,
  transactionalId: 'kchaos-txn',
  transactionTimeoutMs: 10_000,
  maxAttempts: 2,
  pauseMs: 100,
};

/** Transaction `index` (0-based) is aborted on purpose: `abortShare` of them, spread evenly. */
export function abortedOnPurpose(index: number, abortShare: number): boolean {
  return Math.floor((index + 1) * abortShare) > Math.floor(index * abortShare);
}
