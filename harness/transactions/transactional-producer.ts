import type { OutgoingMessage, ProducerSettings, SendOutcome } from '../clients/producer-under-test';
import type { TransactionSettings } from './transaction-settings';

/**
 * What the client said about one transaction call (init, begin, commit, abort). On a failure:
 * `retriable` — the client says the same call may be made again (librdkafka: a commit that timed
 * out); `abortable` — the transaction must be aborted; `fatal` — this producer instance cannot go
 * on (fenced, or a fatal error): a new one is created with the same transactional.id.
 */
export type CallOutcome = { ok: true } | { ok: false; error: string; retriable: boolean; abortable: boolean; fatal: boolean };

/** A promise-based client's call as a CallOutcome: resolved is ok, a rejection is read by the client's own `failure`. */
export async function callOutcome(run: () => Promise<unknown>, failure: (error: unknown) => CallOutcome): Promise<CallOutcome> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

/** One client's transactional producer. No method rejects: every outcome is a value. */
export interface TransactionalProducer {
  readonly client: string;
  /** Connects and initialises transactions (InitProducerId: fences an earlier instance of the id). */
  init(): Promise<CallOutcome>;
  begin(): Promise<CallOutcome>;
  /** Sends inside the current transaction; one outcome per message. */
  send(messages: OutgoingMessage[]): Promise<SendOutcome[]>;
  commit(): Promise<CallOutcome>;
  abort(): Promise<CallOutcome>;
  close(timeoutMs: number): Promise<void>;
}

export type TransactionalFactory = (bootstrap: string, topic: string, settings: ProducerSettings, transactions: TransactionSettings) => TransactionalProducer;
