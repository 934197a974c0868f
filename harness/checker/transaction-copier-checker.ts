import type { ObservedRecord } from '../history/history-types';
import { parseTransactionKey } from '../transactions/transaction-ops';
import type { TransactionStatus } from './transaction-checker';

/**
 * The copier's assertion (kafkatest's, for its TransactionalMessageCopier): the output topic read
 * read_committed holds every input record exactly once. Counts are of records unless said.
 */
export interface CopyCheck {
  /** Distinct seqs in the input topic. */
  input: number;
  /** Output records read read_committed. */
  output: number;
  /** Input seqs with no copy in the output. */
  missing: number;
  /** Σ over input seqs of (copies − 1): copied twice (by two transactions, or twice inside one). */
  duplicated: number;
  /** Output records written by a transaction the copier's history says was aborted (or never committed). */
  abortedVisible: number;
  /** Output records whose key names no input seq or no transaction of the history. */
  unexpected: number;
  /** missing, duplicated, abortedVisible and unexpected all 0. */
  exactlyOnce: boolean;
  /** First few offenders: input seqs (missing, duplicated), output keys (abortedVisible, unexpected). */
  examples: { missing: number[]; duplicated: number[]; abortedVisible: string[]; unexpected: string[] };
}

/** Offenders listed per anomaly. @default 20 */
const EXAMPLES = 20;

/**
 * Pure: the input seqs (the input topic read back), the output records read_committed (keys
 * "tx<txn>:<seq>", txn numbered across copier incarnations) and each copier transaction's status
 * from the history (transaction-checker's statusOf).
 */
export function checkCopy(inputSeqs: Iterable<number>, output: readonly ObservedRecord[], statuses: ReadonlyMap<number, TransactionStatus>): CopyCheck {
  const copies = new Map<number, number>();
  for (const seq of inputSeqs) copies.set(seq, 0);
  const examples: CopyCheck['examples'] = { missing: [], duplicated: [], abortedVisible: [], unexpected: [] };
  const note = <T>(list: T[], item: T) => {
    if (list.length < EXAMPLES) list.push(item);
  };
  let abortedVisible = 0;
  let unexpected = 0;
  for (const record of output) {
    const parsed = parseTransactionKey(record.key);
    const status = parsed ? statuses.get(parsed.txn) : undefined;
    if (!parsed || status === undefined || !copies.has(parsed.seq)) {
      unexpected++;
      note(examples.unexpected, String(record.key));
      continue;
    }
    if (status === 'aborted') {
      abortedVisible++;
      note(examples.abortedVisible, record.key!);
    }
    copies.set(parsed.seq, copies.get(parsed.seq)! + 1);
  }
  let missing = 0;
  let duplicated = 0;
  for (const [seq, n] of [...copies].sort(([a], [b]) => a - b)) {
    if (n === 0) {
      missing++;
      note(examples.missing, seq);
    } else if (n > 1) {
      duplicated += n - 1;
      note(examples.duplicated, seq);
    }
  }
  return {
    input: copies.size,
    output: output.length,
    missing,
    duplicated,
    abortedVisible,
    unexpected,
    exactlyOnce: missing === 0 && duplicated === 0 && abortedVisible === 0 && unexpected === 0,
    examples,
  };
}
