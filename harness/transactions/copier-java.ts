import { parseSeq } from '../verify/verifier';
import type { CopierClientConfig } from './copier-librdkafka';
import type { CopierClient, InputRecord } from './copier-loop';
import { JavaTransactionalDriver } from './java-transactional-driver';
import type { CallOutcome } from './transactional-producer';

/** How long one poll waits for records before the loop asks again. @default 200 */
const POLL_WAIT_MS = 200;

/** A poll's records as the driver wrote them; a record without an integer partition or offset is a protocol error. */
export function parseJavaRecords(raw: unknown): InputRecord[] {
  if (!Array.isArray(raw)) throw new Error(`the Java driver's poll answer has no records list: ${JSON.stringify(raw)}`);
  return raw.map((r: Record<string, unknown>) => {
    if (!Number.isInteger(r?.partition) || !Number.isInteger(r?.offset)) throw new Error(`malformed record from the Java driver: ${JSON.stringify(r)}`);
    const value = Buffer.from(typeof r.value === 'string' ? r.value : '', 'base64');
    return { partition: r.partition as number, offset: r.offset as number, seq: parseSeq(value), value };
  });
}

/** Records in batches of at most `max`, in order. */
export function chunks<T>(items: readonly T[], max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, max)) out.push(items.slice(i, i + Math.max(1, max)));
  return out;
}

/**
 * A copier on the Java kafka-clients (java/KchaosTransactionalDriver.java): a KafkaConsumer
 * (read_committed, assign() every input partition, no auto commit) and a transactional
 * KafkaProducer in one JVM, started in the copier child's process group so that the harness's
 * SIGKILL / SIGSTOP of the copier reach it. Offsets go in with sendOffsetsToTransaction(offsets,
 * consumer.groupMetadata()). A poll's records are handed over in batches of `max`.
 */
export function createJavaCopier(config: CopierClientConfig): CopierClient {
  let driver: JavaTransactionalDriver | undefined;
  let closed = false;
  const notStarted: CallOutcome = { ok: false, error: 'the Java driver is not running', retriable: false, abortable: false, fatal: true };
  const call = async (name: 'begin' | 'commit' | 'abort' | 'offsets', extra?: Record<string, unknown>) => (driver ? driver.call(name, extra) : notStarted);
  return {
    async init() {
      if (!driver) {
        try {
          driver = await JavaTransactionalDriver.start(
            {
              bootstrap: config.bootstrap,
              topic: config.outputTopic,
              settings: config.producer,
              transactionalId: config.transactionalId,
              transactionTimeoutMs: config.transactionTimeoutMs,
              input: { topic: config.inputTopic, groupId: config.groupId, partitions: config.partitions },
            },
            { ownGroup: false, stderr: 'inherit' },
          );
        } catch (error) {
          return { ok: false, error: (error as Error).message, retriable: false, abortable: false, fatal: true };
        }
      }
      return driver.call('init');
    },
    async consume(max, onBatch) {
      while (!closed && driver) {
        const answer = await driver.request({ type: 'poll', timeoutMs: POLL_WAIT_MS });
        if (closed) break;
        if (answer.ok !== true) throw new Error(`the Java consumer failed: ${String(answer.error)}`);
        for (const batch of chunks(parseJavaRecords(answer.records), max)) await onBatch(batch);
      }
    },
    begin: () => call('begin'),
    async send(records) {
      if (!driver) return notStarted;
      const answer = await driver.request({ type: 'send', messages: records.map((r) => ({ key: r.key, partition: r.partition, value: r.value.toString('base64') })) });
      const outcomes = Array.isArray(answer.outcomes) ? (answer.outcomes as Array<Record<string, unknown>>) : [];
      const failed = outcomes.find((o) => o?.ok !== true);
      if (outcomes.length === records.length && !failed) return { ok: true };
      return { ok: false, error: String(failed?.error ?? answer.error ?? 'no outcome'), retriable: false, abortable: true, fatal: answer.gone === true };
    },
    sendOffsets: (offsets) => call('offsets', { offsets }),
    commit: () => call('commit'),
    abort: () => call('abort'),
    async close(timeoutMs) {
      closed = true;
      await driver?.close(timeoutMs);
    },
  };
}
