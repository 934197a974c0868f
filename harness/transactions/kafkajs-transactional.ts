import { CompressionTypes, type Producer, type Transaction } from 'kafkajs';
import { describeError, kafkajsClient, kafkajsFailureIsDefinite, PossiblyWrittenAttempts } from '../clients/kafkajs-producer';
import type { SendOutcome } from '../clients/producer-under-test';
import { callOutcome, type CallOutcome, type TransactionalFactory } from './transactional-producer';

/** kafkajs error types after which the producer instance cannot go on (KIP-98: fenced or unknown id). */
const FATAL_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'INVALID_PRODUCER_ID_MAPPING', 'INVALID_TXN_STATE']);

function typeOf(error: unknown): string | undefined {
  let current = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined;
  for (let depth = 0; depth < 10 && current; depth++) {
    if (current.type) return current.type;
    current = (current.cause ?? current.originalError) as typeof current;
  }
  return undefined;
}

/**
 * kafkajs keeps no "abortable" flag: after a failed commit its transaction manager may be left in
 * a state abort() refuses ("Invalid state transition"); that refusal reads as fatal here, so the
 * workload creates a new producer (InitProducerId aborts what the old one left open).
 */
export function kafkajsCallFailure(error: unknown): CallOutcome {
  const type = typeOf(error);
  const text = describeError(error);
  const fatal = (type !== undefined && FATAL_TYPES.has(type)) || /fenced|Invalid state transition|Transaction state exception/i.test(text);
  return { ok: false, error: text, retriable: false, abortable: !fatal, fatal };
}

const call = (run: () => Promise<unknown>) => callOutcome(run, kafkajsCallFailure);

/**
 * kafkajs transactional producer: connect() runs InitProducerId for a transactional id;
 * producer.transaction() begins one; all of a transaction's messages go in one send() (one
 * request per broker). Outcomes are kafkajs' own: its retries and timeouts bound every call.
 */
export const createKafkajsTransactional: TransactionalFactory = (bootstrap, topic, settings, transactions) => {
  const attempts = new PossiblyWrittenAttempts();
  const kafka = kafkajsClient('kchaos-kafkajs-txn', bootstrap, settings, attempts);
  const producer: Producer = kafka.producer({
    transactionalId: transactions.transactionalId,
    transactionTimeout: transactions.transactionTimeoutMs,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    ...settings.raw,
  });
  let current: Transaction | undefined;

  return {
    client: 'kafkajs',
    init: () => call(() => producer.connect()),
    begin: () => call(async () => (current = await producer.transaction())),
    async send(messages) {
      const possiblyWrittenBefore = attempts.count;
      try {
        if (!current) throw new Error('no transaction begun');
        const metadata = await current.send({
          topic,
          acks: -1,
          timeout: settings.requestTimeoutMs,
          compression: CompressionTypes.None,
          messages: messages.map((m) => ({ key: m.key, value: m.value, partition: m.partition ?? undefined })),
        });
        const next = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset ?? -1)]));
        return messages.map((m): SendOutcome => {
          const base = m.partition === null ? undefined : next.get(m.partition);
          if (base === undefined || base < 0) return { ok: true, partition: m.partition, offset: null };
          next.set(m.partition!, base + 1);
          return { ok: true, partition: m.partition, offset: base };
        });
      } catch (error) {
        const definite = kafkajsFailureIsDefinite(error) && attempts.count === possiblyWrittenBefore;
        return messages.map((m) => ({ ok: false as const, definite, error: describeError(error), partition: m.partition }));
      }
    },
    commit: () => call(() => current!.commit()),
    abort: () => call(() => current!.abort()),
    async close(timeoutMs) {
      await Promise.race([producer.disconnect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
};
