import { CODES, DeliveryReport, LibrdKafkaError, librdkafkaVersion, Producer } from 'node-rdkafka';
import { HarnessError } from '../errors';
import { assertOwnLibrdkafka, bundledLibrdkafka } from './own-librdkafka';
import { PendingSends } from './pending-sends';
import { OutgoingMessage, ProducerFactory, ProducerSettings, ProducerUnderTest, SendOutcome } from './producer-under-test';

/** How often delivery reports are polled; the bench's bare loop uses the same. @default 5 */
export const POLL_INTERVAL_MS = 5;
/** Bootstrap plus the topic's metadata must arrive within this. @default 15000 */
const CONNECT_TIMEOUT_MS = 15_000;
/** close() may overrun its flush budget by at most this, for disconnect. @default 2000 */
const CLOSE_GRACE_MS = 2_000;
/** Metadata refresh while a broker is unreachable (librdkafka's default is 300000). @default 5000 */
const METADATA_REFRESH_INTERVAL_MS = 5_000;
const RECONNECT_BACKOFF_MS = 50;
const RECONNECT_BACKOFF_MAX_MS = 500;
/** librdkafka's RD_KAFKA_PARTITION_UA: let the partitioner choose. */
const PARTITION_UNASSIGNED = -1;
/** syslog levels librdkafka uses; LOG_NOTICE and worse report connection and request trouble. */
const LOG_NOTICE = 5;

export const CLOSED_BEFORE_REPORT = 'closed before a delivery report';

/**
 * librdkafka properties that are topic-level. node-rdkafka always installs its (possibly empty)
 * topic config as `default_topic_conf`, which replaces any topic-level property set in the global
 * config, so these must go into the topic config to take effect.
 */
const TOPIC_LEVEL_PROPERTIES = new Set([
  'request.required.acks',
  'acks',
  'request.timeout.ms',
  'message.timeout.ms',
  'delivery.timeout.ms',
  'queuing.strategy',
  'produce.offset.report',
  'partitioner',
  'compression.codec',
  'compression.type',
  'compression.level',
]);

const E = CODES.ERRORS;

/**
 * Delivery-report errors that librdkafka raises before a message was ever put on the wire:
 * the message cannot have been written.
 */
const NEVER_SENT_ERRORS = new Set<number>([
  E.ERR__UNKNOWN_PARTITION,
  E.ERR__UNKNOWN_TOPIC,
  E.ERR__QUEUE_FULL,
  E.ERR__PURGE_QUEUE,
  E.ERR__INVALID_ARG,
]);

/**
 * Broker answers that mean "this request was not appended" (librdkafka marks the attempt
 * NOT_PERSISTED). They prove the message unwritten only if no earlier attempt of it was possibly
 * persisted: librdkafka's per-message status is sticky (a timed-out or cut in-flight attempt stays
 * POSSIBLY_PERSISTED even if the last retry is rejected), and node-rdkafka does not expose
 * rd_kafka_message_status(), so see `rejectionIsDefinite`.
 */
const BROKER_REJECTED_ERRORS = new Set<number>([
  E.ERR_NOT_ENOUGH_REPLICAS,
  E.ERR_MSG_SIZE_TOO_LARGE,
  E.ERR_INVALID_MSG,
  E.ERR_INVALID_MSG_SIZE,
  E.ERR_TOPIC_AUTHORIZATION_FAILED,
  E.ERR_INVALID_REQUIRED_ACKS,
  E.ERR_RECORD_LIST_TOO_LARGE,
  E.ERR_INVALID_RECORD,
  E.ERR_INVALID_TIMESTAMP,
  E.ERR_POLICY_VIOLATION,
  E.ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT,
  E.ERR_UNKNOWN_TOPIC_OR_PART,
  E.ERR_NOT_LEADER_FOR_PARTITION,
]);

// node-rdkafka has no typings for its native binding; err2str is librdkafka's rd_kafka_err2str.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const native: { err2str(code: number): string } = require('node-rdkafka/librdkafka');

interface ErrorTable {
  nameByCode: Map<number, string>;
  /** Key: node-rdkafka's rewrite of err2str ("<origin>: <message>", lower case). */
  codeByReportText: Map<string, number>;
}
let errorTable: ErrorTable | undefined;

/**
 * node-rdkafka hands delivery-report errors over without their code: only `err2str(code)`, which its
 * LibrdKafkaError then splits at ": " and lower-cases into origin and message. The code is
 * recovered by doing the same to every known code's err2str.
 */
function reportText(text: string): string {
  const parts = text.split(': ');
  return parts.length > 1 ? `${parts[0].toLowerCase()}: ${parts[1].toLowerCase()}` : `unknown: ${text.toLowerCase()}`;
}

function errors(): ErrorTable {
  if (errorTable) return errorTable;
  const nameByCode = new Map<number, string>();
  const codeByReportText = new Map<string, number>();
  for (const [name, code] of Object.entries(E) as Array<[string, number]>) {
    if (name === 'ERR__BEGIN' || name === 'ERR__END') continue;
    if (!nameByCode.has(code)) nameByCode.set(code, name); // aliases (…_FOR_GROUP): first name wins
    const key = reportText(native.err2str(code));
    if (!codeByReportText.has(key)) codeByReportText.set(key, code);
  }
  errorTable = { nameByCode, codeByReportText };
  return errorTable;
}

/** librdkafka's error code behind a node-rdkafka error, or null when it cannot be told. */
export function rdkafkaErrorCode(error: unknown): number | null {
  const e = error as Partial<LibrdKafkaError> & { origin?: string };
  if (typeof e?.code === 'number' && e.code !== -1 && errors().nameByCode.has(e.code)) return e.code;
  if (typeof e?.message !== 'string') return null;
  const key = e.origin ? `${e.origin}: ${e.message}` : reportText(e.message);
  return errors().codeByReportText.get(key.toLowerCase()) ?? null;
}

/**
 * "ERR__MSG_TIMED_OUT: Local: Message timed out": librdkafka's error name and message. An error
 * that kept its code keeps its own message (it may say more than err2str, e.g. a config conflict);
 * one whose code was recovered from node-rdkafka's lower-cased text gets librdkafka's err2str.
 */
export function describeRdkafkaError(error: unknown): string {
  const e = error as { code?: unknown; origin?: string; message?: string } | null;
  const code = rdkafkaErrorCode(error);
  if (code !== null) {
    const keptCode = typeof e?.code === 'number' && e.code === code;
    const text = keptCode && typeof e?.message === 'string' && e.message ? e.message : native.err2str(code);
    return `${errors().nameByCode.get(code)}: ${text}`;
  }
  if (e && typeof e.message === 'string') return e.origin ? `${e.origin}: ${e.message}` : e.message;
  return String(error);
}

/**
 * Whether a delivery-report error proves the message was not written (history `fail`).
 * @param troubleSinceProduce librdkafka reported a request timeout or a broker connection failure
 *   between produce() and this report, so an earlier attempt may have reached a broker.
 */
export function deliveryErrorIsDefinite(code: number | null, settings: Pick<ProducerSettings, 'retries'>, troubleSinceProduce: boolean): boolean {
  if (code === null) return false;
  if (NEVER_SENT_ERRORS.has(code)) return true;
  if (BROKER_REJECTED_ERRORS.has(code)) return settings.retries === 0 || !troubleSinceProduce;
  // ERR__MSG_TIMED_OUT, ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, ERR__TIMED_OUT, ERR__TRANSPORT,
  // ERR__PURGE_INFLIGHT, ERR__FATAL, the idempotence sequence errors, …: possibly persisted.
  return false;
}

/** The librdkafka configuration for settings: [global, topic]. Exported for tests. */
export function rdkafkaConfig(
  bootstrap: string,
  settings: ProducerSettings,
): [Record<string, string | number | boolean>, Record<string, string | number | boolean>] {
  const global: Record<string, string | number | boolean> = {
    'metadata.broker.list': bootstrap,
    'client.id': 'kchaos-rdkafka',
    'enable.idempotence': settings.idempotent,
    'message.send.max.retries': settings.retries,
    'max.in.flight.requests.per.connection': settings.maxInFlight,
    'linger.ms': settings.lingerMs,
    'batch.size': settings.batchSizeBytes,
    'socket.connection.setup.timeout.ms': Math.max(1_000, settings.requestTimeoutMs),
    'reconnect.backoff.ms': RECONNECT_BACKOFF_MS,
    'reconnect.backoff.max.ms': RECONNECT_BACKOFF_MAX_MS,
    'topic.metadata.refresh.interval.ms': METADATA_REFRESH_INTERVAL_MS,
  };
  const topic: Record<string, string | number | boolean> = {
    'request.required.acks': settings.acks === 'all' ? -1 : settings.acks,
    'request.timeout.ms': settings.requestTimeoutMs,
    'message.timeout.ms': settings.deliveryTimeoutMs,
  };
  for (const [key, value] of Object.entries(settings.raw)) {
    if (TOPIC_LEVEL_PROPERTIES.has(key)) topic[key] = value;
    else global[key] = value;
  }
  return [global, topic];
}

function boundedWait<T>(start: (done: (value: T) => void) => void, timeoutMs: number, onTimeout: T): Promise<T> {
  return new Promise<T>((resolve) => {
    let settled = false;
    const finish = (value: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => finish(onTimeout), Math.max(0, timeoutMs));
    try {
      start(finish);
    } catch {
      finish(onTimeout);
    }
  });
}

const NODE_RDKAFKA_BUILT_WITH = bundledLibrdkafka('node-rdkafka');

/**
 * Refuses node-rdkafka running on another client's librdkafka (own-librdkafka.ts). The
 * node-rdkafka producer, consumer and transactional producer call it first, so the guard does not
 * depend on which room loaded a library first. (The copier's process loads one client only.)
 */
export function assertNodeRdkafkaOwnLibrdkafka(): void {
  assertOwnLibrdkafka('node-rdkafka', librdkafkaVersion, NODE_RDKAFKA_BUILT_WITH);
}

/**
 * node-rdkafka (librdkafka) producer. Each message is one produce() with delivery reports; the
 * report (found through the message's opaque) resolves that message's outcome.
 */
export const createRdkafkaProducer: ProducerFactory = (bootstrap, topic, settings) => {
  assertNodeRdkafkaOwnLibrdkafka();
  const [globalConfig, topicConfig] = rdkafkaConfig(bootstrap, settings);
  let producer: Producer;
  try {
    producer = new Producer({ ...globalConfig, dr_cb: true }, topicConfig);
  } catch (error) {
    throw new HarnessError(`node-rdkafka refused the producer configuration: ${(error as Error).message}`, {
      cause: error,
      hint: 'check the scenario config (e.g. idempotence needs acks=all, retries > 0, maxInFlight <= 5) and raw librdkafka properties',
    });
  }

  const pending = new PendingSends();
  let connected = false;
  let closing: Promise<void> | undefined;
  /** How many request timeouts or connection failures librdkafka has reported: a send made at count n saw trouble since when it is above n. */
  let troubleCount = 0;

  producer.on('event.error', () => {
    troubleCount++;
  });
  producer.on('event.log', (log: { severity: number; fac: string; message: string }) => {
    if (log.severity <= LOG_NOTICE || log.fac === 'REQTMOUT' || log.fac === 'FAIL') troubleCount++;
  });

  producer.on('delivery-report', (error: LibrdKafkaError | null, report: DeliveryReport) => {
    // The opaque is the send's token: a number costs node-rdkafka less to carry than an object.
    const sendId = report?.opaque;
    if (typeof sendId !== 'number' || !pending.has(sendId)) return;
    if (!error) {
      // acks=0: librdkafka reports success without an offset (RD_KAFKA_OFFSET_INVALID): null = unknown.
      const offset = typeof report.offset === 'number' && report.offset >= 0 ? report.offset : null;
      const partition = typeof report.partition === 'number' && report.partition >= 0 ? report.partition : pending.requestedPartition(sendId);
      pending.settle(sendId, { ok: true, partition, offset });
      return;
    }
    const code = rdkafkaErrorCode(error);
    const troubleSinceProduce = troubleCount > pending.troubleCountAtSend(sendId);
    pending.settle(sendId, {
      ok: false,
      definite: deliveryErrorIsDefinite(code, settings, troubleSinceProduce),
      error: describeRdkafkaError(error),
      partition: typeof report.partition === 'number' && report.partition >= 0 ? report.partition : pending.requestedPartition(sendId),
    });
  });

  const sendEach = (message: OutgoingMessage, id: number, done: (id: number, outcome: SendOutcome) => void): void => {
    if (closing || !connected) {
      const error = closing ? 'producer closed: not sent' : 'producer not connected: not sent';
      done(id, { ok: false, definite: true, error, partition: message.partition });
      return;
    }
    const sendId = pending.add(message.partition, troubleCount, id, done);
    try {
      producer.produce(topic, message.partition ?? PARTITION_UNASSIGNED, message.value, message.key, Date.now(), sendId);
    } catch (error) {
      // Not enqueued (queue full, too large, unknown partition, not connected): never written.
      pending.settle(sendId, { ok: false, definite: true, error: describeRdkafkaError(error), partition: message.partition });
    }
  };

  const underTest: ProducerUnderTest = {
    client: 'node-rdkafka',

    connect() {
      return new Promise<void>((resolve, reject) => {
        producer.connect({ topic, timeout: CONNECT_TIMEOUT_MS }, (error) => {
          if (error) {
            reject(
              new HarnessError(`node-rdkafka producer could not connect to ${bootstrap} (topic ${topic}): ${describeRdkafkaError(error)}`, {
                cause: error,
                hint: 'check that the cluster is up and the bootstrap addresses (the proxies) are enabled; a configuration conflict (e.g. idempotence with acks 0/1 or retries 0) also ends here',
              }),
            );
            return;
          }
          connected = true;
          producer.setPollInterval(POLL_INTERVAL_MS);
          if (closing) {
            // close() ran while connecting: it had nothing to flush, so release the client now.
            connected = false;
            producer.disconnect(0, () => {});
          }
          resolve();
        });
      });
    },

    send(messages) {
      return Promise.all(messages.map((message) => new Promise<SendOutcome>((resolve) => sendEach(message, 0, (_id, outcome) => resolve(outcome)))));
    },

    sendEach,

    close(timeoutMs) {
      closing ??= (async () => {
        const deadlineMs = Date.now() + timeoutMs + CLOSE_GRACE_MS;
        if (connected) {
          // flush() polls, so delivery reports keep settling outcomes while it waits.
          await boundedWait<void>((done) => producer.flush(Math.max(0, timeoutMs), () => done()), timeoutMs + CLOSE_GRACE_MS / 2, undefined);
          // disconnect() flushes again first; give it nothing more to wait for.
          await boundedWait<void>((done) => producer.disconnect(0, () => done()), deadlineMs - Date.now(), undefined);
          connected = false;
        }
        for (const sendId of pending.tokens()) {
          pending.settle(sendId, { ok: false, definite: false, error: CLOSED_BEFORE_REPORT, partition: pending.requestedPartition(sendId) });
        }
      })();
      return closing;
    },
  };
  return underTest;
};
