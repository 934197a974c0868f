import type { OpType } from '../history/history-types';
import type { TransactionOpFunction, TransactionOpValue } from './transaction-ops';

/**
 * What the copier child writes on stdout, one JSON object a line: `ready` once initialised (its
 * InitProducerId done: an earlier instance of the transactional id is fenced from here on), every
 * transactional call as an `op` (recorded in the history as the copier's, times the harness's),
 * `error` with the reason it stops (it then exits with STOPPED_EXIT_CODE), `closed` after a close.
 * It reads {"cmd":"close"} on stdin, and closes when stdin ends.
 */
export type CopierEvent =
  | { e: 'ready' }
  | { e: 'op'; type: OpType; f: TransactionOpFunction; value: TransactionOpValue }
  | { e: 'error'; message: string }
  | { e: 'closed' };

/** The child's exit code when the copy loop gave up on this instance (a new one takes over). */
export const STOPPED_EXIT_CODE = 3;
