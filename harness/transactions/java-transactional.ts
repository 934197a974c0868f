import type { OutgoingMessage, SendOutcome } from '../clients/producer-under-test';
import { JavaTransactionalDriver } from './java-transactional-driver';
import type { CallOutcome, TransactionalFactory } from './transactional-producer';

/** A send outcome as the Java driver wrote it; anything malformed is unknown (info), never guessed. */
export function parseJavaSendOutcome(raw: unknown, message: OutgoingMessage): SendOutcome {
  const o = raw as Record<string, unknown> | null;
  const partition = typeof o?.partition === 'number' && Number.isInteger(o.partition) && o.partition >= 0 ? o.partition : message.partition;
  if (o?.ok === true) return { ok: true, partition, offset: typeof o.offset === 'number' && Number.isInteger(o.offset) && o.offset >= 0 ? o.offset : null };
  if (o?.ok === false) return { ok: false, definite: o.definite === true, error: typeof o.error === 'string' ? o.error : 'failed (no error text)', partition };
  return { ok: false, definite: false, error: `malformed outcome from the Java driver: ${JSON.stringify(raw)}`, partition };
}

/**
 * The Java kafka-clients transactional producer (java/KchaosTransactionalDriver.java, compiled on
 * first use) in its own process group. The JVM starts at init(); an init that could not start it
 * is a fatal outcome, so the workload makes a new instance, as after a fence. Each blocking call is
 * bounded by max.block.ms = transaction.timeout.ms inside the driver; a commit that timed out
 * answers "retriable", as the client's javadoc allows.
 */
export const createJavaTransactional: TransactionalFactory = (bootstrap, topic, settings, transactions) => {
  let driver: JavaTransactionalDriver | undefined;
  const notStarted: CallOutcome = { ok: false, error: 'the Java driver is not running', retriable: false, abortable: false, fatal: true };
  return {
    client: 'java',
    async init() {
      if (!driver) {
        try {
          driver = await JavaTransactionalDriver.start(
            { bootstrap, topic, settings, transactionalId: transactions.transactionalId, transactionTimeoutMs: transactions.transactionTimeoutMs },
            { ownGroup: true, stderr: 'tail' },
          );
        } catch (error) {
          return { ok: false, error: (error as Error).message, retriable: false, abortable: false, fatal: true };
        }
      }
      return driver.call('init');
    },
    begin: async () => (driver ? driver.call('begin') : notStarted),
    async send(messages) {
      if (!driver) return messages.map((m) => ({ ok: false, definite: true, error: notStarted.ok ? '' : notStarted.error, partition: m.partition }));
      const answer = await driver.request({
        type: 'send',
        messages: messages.map((m) => ({ seq: m.seq, key: m.key, partition: m.partition, value: m.value.toString('base64') })),
      });
      const outcomes = Array.isArray(answer.outcomes) ? answer.outcomes : [];
      // The JVM gone mid-send: whether each record was written is unknown.
      return messages.map((m, i) => (i < outcomes.length ? parseJavaSendOutcome(outcomes[i], m) : { ok: false, definite: false, error: String(answer.error ?? 'no outcome'), partition: m.partition }));
    },
    commit: async () => (driver ? driver.call('commit') : notStarted),
    abort: async () => (driver ? driver.call('abort') : notStarted),
    async close(timeoutMs) {
      await driver?.close(timeoutMs);
    },
  };
};
