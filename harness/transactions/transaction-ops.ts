/**
 * Transaction ops in history.jsonl (DESIGN.md, "History ops by function"): the transactional
 * producer's calls, each invoke → ok | fail | info like a send, on the producer's process.
 * The sends inside a transaction are ordinary `send` ops whose value also carries `txn`.
 */
export type TransactionOpFunction = 'txn-init' | 'txn-begin' | 'txn-commit' | 'txn-abort';
export const TRANSACTION_OP_FUNCTIONS: readonly TransactionOpFunction[] = ['txn-init', 'txn-begin', 'txn-commit', 'txn-abort'];

/**
 * Value of every transaction op. `txn` numbers the transactions of one run (0, 1, …; init has none).
 * On txn-commit / txn-abort invokes, `seqs` lists the seqs sent inside it and `why` says why an
 * abort was asked for: on purpose (the scenario's abort share), or a send inside failed, or the
 * commit failed and the client asked for an abort.
 */
// A type, not an interface: history values must be assignable to Record<string, unknown>.
export type TransactionOpValue = {
  txn?: number;
  transactionalId?: string;
  seqs?: number[];
  why?: 'on-purpose' | 'send-failed' | 'commit-failed' | 'offsets-failed';
  /** The copier's txn-commit invoke: the input positions (next offset per partition) sent in the transaction. */
  offsets?: Array<{ partition: number; offset: number }>;
  /** On fail / info: the client's error text; on the copier's txn-abort invoke, the failure that asked for it. */
  error?: string;
  /** On fail / info: the client says the producer cannot go on (fenced, fatal): it is created again. */
  fatal?: boolean;
};

/**
 * The record key of seq `seq` sent in transaction `txn`: "tx<txn>:<seq>". Observed records name
 * the transaction they came from through it, so a seq sent again in a later transaction is told apart.
 */
export function transactionKey(txn: number, seq: number): string {
  return `tx${txn}:${seq}`;
}

const KEY = /^tx(\d+):(\d+)$/;

export function parseTransactionKey(key: string | null): { txn: number; seq: number } | null {
  const match = key === null ? null : KEY.exec(key);
  return match ? { txn: Number(match[1]), seq: Number(match[2]) } : null;
}
