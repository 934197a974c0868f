import type { CountName } from '../harness/checker/check-types';

/** DESIGN.md's checker table in one line each; the HTML report shows them as column help. */
export const COUNT_DEFINITIONS: Readonly<Record<CountName, string>> = {
  attempted: 'seqs with an invoke',
  acked: 'seqs with an ok',
  failed: 'seqs never acked whose every attempt ended fail (the client said "not written" each time)',
  indeterminate: 'seqs never acked with an attempt that ended info or never ended (it may have landed)',
  observed: 'distinct seqs read back from the topic',
  lostAcked: 'acked and not observed: a durability violation',
  undelivered: 'attempted and not observed: what an app without extra logic loses',
  deliveredDespiteError: 'failed or indeterminate, yet observed: the root of duplicates on resend',
  duplicates: 'extra copies: sum over seqs of (copies - 1)',
  reordered: 'per partition, records to take out so that seqs never decrease',
  offsetMismatch: 'acked at (partition, offset) but another record, or none, is there',
  unexpected: 'observed records whose seq was never attempted',
  exposedSends: 'attempts placed on a partition led by a faulted broker while its fault was on: proof the fault touched the producer',
  resends: "invokes beyond each seq's first: the application's resends",
  undeliveredDespiteHealthyTry: 'undelivered, though an attempt sent while a fault was on failed on a partition the fault did not touch: a healthy leader refused it',
  txnCommitted: 'transactions whose commit the client confirmed',
  txnAborted: 'transactions whose abort the client confirmed, or never asked to commit (the coordinator aborts them)',
  txnUnknown: 'transactions asked to commit, with neither that commit nor an abort confirmed: either outcome allowed, all or nothing',
  committedLost: 'records of a committed transaction missing under read_committed',
  abortedRead: 'records of an aborted transaction visible under read_committed',
  tornTransactions: 'committed or unknown transactions of which some, not all, records are visible under read_committed',
  duplicatesAcrossTransactions: 'sum over seqs of (transactions with a visible record of it - 1), read_committed',
  abortedWritten: 'records of aborted or unknown transactions present under read_uncommitted (they reached the log)',
};
