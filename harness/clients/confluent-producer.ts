import { HarnessError } from '../errors';
import { assertOwnLibrdkafka, bundledLibrdkafka } from './own-librdkafka';
import { deliveryErrorIsDefinite, describeRdkafkaError } from './rdkafka-producer';
import { OutgoingMessage, ProducerFactory, ProducerSettings, ProducerUnderTest, SendOutcome } from './producer-under-test';

/**
 * Confluent's JavaScript client (@confluentinc/kafka-javascript) through its KafkaJS-compatible
 * promise API, the way a team migrating from kafkajs uses it: `new KafkaJS.Kafka({ kafkaJS: … })`,
 * `producer.send()`. librdkafka underneath decides every outcome (its message.timeout.ms, retries,
 * back-off); no harness timer cuts a send short.
 *
 * The package is an optional dependency (its install compiles librdkafka, and only with
 * CKJS_LINKING=dynamic when its prebuilt binary cannot be downloaded), so it is loaded on first use
 * and a missing one is one error naming the fix. Its types are not imported for the same reason:
 * the few shapes used are declared below.
 */
export const CONFLUENT_PACKAGE = '@confluentinc/kafka-javascript';

/** close() may overrun its flush budget by at most this, for disconnect. @default 2000 */
const CLOSE_GRACE_MS = 2_000;
/** Metadata refresh while a broker is unreachable (librdkafka's default is 300000), as for node-rdkafka. @default 5000 */
const METADATA_REFRESH_INTERVAL_MS = 5_000;
const RECONNECT_BACKOFF_MS = 50;
const RECONNECT_BACKOFF_MAX_MS = 500;
/** KafkaJS' retry back-off, as the kafkajs client here is given it (librdkafka's retry.backoff.ms / .max.ms). */
const INITIAL_RETRY_MS = 100;
const MAX_RETRY_MS = 1_000;
/** librdkafka facilities that report a request timeout or a failed connection. */
const TROUBLE_FACILITIES = new Set(['REQTMOUT', 'FAIL']);

export const CONFLUENT_CLOSED_BEFORE_OUTCOME = 'closed before the client settled the send';

interface KafkaJSLogger {
  info(message: string, extra?: { fac?: string }): void;
  warn(message: string, extra?: { fac?: string }): void;
  error(message: string, extra?: { fac?: string }): void;
  debug(message: string, extra?: { fac?: string }): void;
  namespace(): KafkaJSLogger;
  setLogLevel(level: number): void;
}
interface RecordMetadata {
  partition: number;
  baseOffset?: string | null;
}
interface ConfluentProducer {
  connect(): Promise<void>;
  send(record: { topic: string; messages: Array<{ key: string | null; value: Buffer; partition?: number }> }): Promise<RecordMetadata[]>;
  flush(args: { timeout: number }): Promise<void>;
  disconnect(): Promise<void>;
  /** The librdkafka handle underneath ("for internal use"): read here only for delivery reports' partitions. */
  _getInternalClient(): { on(event: 'delivery-report', listener: (error: unknown, report: DeliveryReport) => void): void } | null;
}
interface DeliveryReport {
  partition?: number;
  value?: Buffer;
}
interface ConfluentModule {
  /** The librdkafka this process actually runs the client on. */
  librdkafkaVersion?: string;
  KafkaJS: { Kafka: new (config: Record<string, unknown>) => { producer(config: Record<string, unknown>): ConfluentProducer } };
}

let loaded: ConfluentModule | undefined;

/** The package, or one error naming how to install it. */
export function loadConfluent(require_: (id: string) => unknown = require): ConfluentModule {
  if (loaded && require_ === require) return loaded;
  let module: ConfluentModule;
  try {
    module = require_(CONFLUENT_PACKAGE) as ConfluentModule;
  } catch (error) {
    throw new HarnessError(`client "confluent" needs ${CONFLUENT_PACKAGE}, which is not installed or did not build: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
      hint: `CKJS_LINKING=dynamic npm install ${CONFLUENT_PACKAGE} (it compiles librdkafka against the system's libraries when its prebuilt binary cannot be downloaded; needs a C/C++ toolchain, make and Python 3)`,
    });
  }
  assertOwnLibrdkafka('confluent', module.librdkafkaVersion, bundledLibrdkafka(CONFLUENT_PACKAGE, require_));
  if (require_ === require) loaded = module;
  return module;
}

/**
 * The client's configuration for settings: KafkaJS names in the `kafkaJS` block where the API has
 * one, librdkafka properties at the top level for the rest (top-level wins). Exported for tests.
 *
 * What the KafkaJS block maps to (the package's _common.js and _producer.js): requestTimeout →
 * socket.timeout.ms (librdkafka's client-side wait for a response); the producer's timeout →
 * request.timeout.ms (the broker's ack timeout); retry.retries → retries; connectionTimeout plus
 * authenticationTimeout (10 s by default) → socket.connection.setup.timeout.ms; the partitioner is
 * always murmur2_random (Java's and kafkajs' key hash). A send has no KafkaJS deadline:
 * message.timeout.ms (librdkafka's default 300 s) goes in at the top level.
 */
export function confluentConfig(bootstrap: string, settings: ProducerSettings, logger: KafkaJSLogger): { common: Record<string, unknown>; producer: Record<string, unknown> } {
  const common = {
    kafkaJS: {
      brokers: bootstrap.split(','),
      clientId: 'kchaos-confluent',
      requestTimeout: settings.requestTimeoutMs,
      connectionTimeout: settings.requestTimeoutMs,
      retry: { retries: settings.retries, initialRetryTime: INITIAL_RETRY_MS, maxRetryTime: MAX_RETRY_MS },
      logger,
    },
  };
  const producer: Record<string, unknown> = {
    kafkaJS: {
      acks: settings.acks === 'all' ? -1 : settings.acks,
      timeout: settings.requestTimeoutMs,
      idempotent: settings.idempotent,
      maxInFlightRequests: settings.maxInFlight,
      allowAutoTopicCreation: false,
      metadataMaxAge: METADATA_REFRESH_INTERVAL_MS,
      retry: { retries: settings.retries, initialRetryTime: INITIAL_RETRY_MS, maxRetryTime: MAX_RETRY_MS },
    },
    'message.timeout.ms': settings.deliveryTimeoutMs,
    'linger.ms': settings.lingerMs,
    'batch.size': settings.batchSizeBytes,
    'reconnect.backoff.ms': RECONNECT_BACKOFF_MS,
    'reconnect.backoff.max.ms': RECONNECT_BACKOFF_MAX_MS,
    // Delivery reports carry the payload, so a failed send's partition can be found by its value.
    dr_msg_cb: true,
    ...settings.raw,
  };
  return { common, producer };
}

/**
 * librdkafka's log lines reach the KafkaJS logger with their facility; NOTICE and INFO both arrive
 * as info, so every line at info or worse counts as "trouble" (a request that may have reached a
 * broker), erring toward unknown; debug lines do not.
 *
 * A count, not a time: a send remembers the count it was made at, and saw trouble since when the
 * count has grown. A wall-clock stamp of ms could not order a trouble line and a send in the same
 * millisecond, and moves when the clock is set.
 */
export class TroubleLog implements KafkaJSLogger {
  /** Trouble lines so far. */
  count = 0;
  /** Whether trouble was logged after `count` was `countAtSend`. */
  since(countAtSend: number): boolean {
    return this.count > countAtSend;
  }
  info(_message: string, _extra?: { fac?: string }) {
    this.count++;
  }
  warn(_message: string, _extra?: { fac?: string }) {
    this.count++;
  }
  error(_message: string, _extra?: { fac?: string }) {
    this.count++;
  }
  debug(_message: string, extra?: { fac?: string }) {
    if (extra?.fac !== undefined && TROUBLE_FACILITIES.has(extra.fac)) this.count++;
  }
  namespace(): KafkaJSLogger {
    return this;
  }
  setLogLevel() {}
}

/** The librdkafka code a KafkaJS-API error carries (its `code`), or null. */
export function confluentErrorCode(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && Number.isInteger(code) ? code : null;
}

/** "KafkaJSError ERR__MSG_TIMED_OUT: Local: Message timed out". */
export function describeConfluentError(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  const text = describeRdkafkaError(error);
  return typeof name === 'string' && name !== 'Error' ? `${name} ${text}` : text;
}

/** A delivery report's offset as the promise API gives it (a string, or a negative sentinel for acks=0): null when unknown. */
export function offsetOf(baseOffset: string | null | undefined): number | null {
  if (baseOffset === null || baseOffset === undefined) return null;
  const offset = Number(baseOffset);
  return Number.isInteger(offset) && offset >= 0 ? offset : null;
}

/**
 * The outcome of one message the app sent on its own (one `send()` per message): the client's
 * error code decides definite vs unknown exactly as for node-rdkafka (same librdkafka underneath).
 */
export function failureOutcome(
  error: unknown,
  settings: Pick<ProducerSettings, 'retries'>,
  troubleSinceSend: boolean,
  partition: number | null,
  requested: number | null,
): Extract<SendOutcome, { ok: false }> {
  const definite = deliveryErrorIsDefinite(confluentErrorCode(error), settings, troubleSinceSend);
  return { ok: false, definite, error: describeConfluentError(error), partition: partition ?? requested, ...(requested === null && partition !== null ? { tried: [partition] } : {}) };
}

interface Pending {
  message: OutgoingMessage;
  /** trouble.count when the message was handed to the client. */
  troubleAtSend: number;
  settle: (outcome: SendOutcome) => void;
}

/**
 * Confluent's client via its KafkaJS-compatible API: each message is its own `send()` (the API
 * sends a multi-message call's messages one by one and rejects the call on the first failure, so
 * only a one-message call tells the app each message's fate). With messagesPerSend > 1 the batch
 * is one call, as the app would make it: every message gets the call's outcome.
 */
export const createConfluentProducer: ProducerFactory = (bootstrap, topic, settings) => {
  const { KafkaJS } = loadConfluent();
  const trouble = new TroubleLog();
  const config = confluentConfig(bootstrap, settings, trouble);
  let producer: ConfluentProducer;
  try {
    producer = new KafkaJS.Kafka(config.common).producer(config.producer);
  } catch (error) {
    throw new HarnessError(`${CONFLUENT_PACKAGE} refused the producer configuration: ${(error as Error).message}`, {
      cause: error,
      hint: 'check the scenario config (idempotence needs acks=all, retries > 0, maxInFlight <= 5) and raw librdkafka properties',
    });
  }

  const pending = new Set<Pending>();
  /** Partition of a failed delivery report, by payload (value bytes are unique per seq and attempt). */
  const failedOn = new Map<string, number>();
  let connected = false;
  let closing: Promise<void> | undefined;

  /** One pending entry per message, settled once: by the client's outcome, or by close(). */
  const track = (message: OutgoingMessage): [Pending, Promise<SendOutcome>] => {
    let entry!: Pending;
    const outcome = new Promise<SendOutcome>((resolve) => {
      entry = {
        message,
        troubleAtSend: trouble.count,
        settle: (o) => {
          if (pending.delete(entry)) resolve(o);
        },
      };
    });
    pending.add(entry);
    return [entry, outcome];
  };

  const underTest: ProducerUnderTest = {
    client: 'confluent',

    async connect() {
      try {
        await producer.connect();
      } catch (error) {
        throw new HarnessError(`${CONFLUENT_PACKAGE} producer could not connect to ${bootstrap} (topic ${topic}): ${describeConfluentError(error)}`, {
          cause: error,
          hint: 'check that the cluster is up and the bootstrap addresses (the proxies) are enabled; a configuration conflict also ends here',
        });
      }
      producer._getInternalClient()?.on('delivery-report', (error, report) => {
        if (error && Buffer.isBuffer(report?.value) && typeof report.partition === 'number' && report.partition >= 0) {
          failedOn.set(report.value.toString('latin1'), report.partition);
        }
      });
      connected = true;
      if (closing) await producer.disconnect().catch(() => {});
    },

    send(messages) {
      if (closing || !connected) {
        const error = closing ? 'producer closed: not sent' : 'producer not connected: not sent';
        return Promise.resolve(messages.map((m) => ({ ok: false as const, definite: true, error, partition: m.partition })));
      }
      const tracked = messages.map(track);
      const entries = tracked.map(([entry]) => entry);
      const single = messages.length === 1;
      const record = { topic, messages: messages.map((m) => ({ key: m.key, value: m.value, ...(m.partition === null ? {} : { partition: m.partition }) })) };
      producer.send(record).then(
        (metadata) => {
          // One message: its own report. Several: per-partition metadata only, so a position is claimed
          // only where the call landed on one partition, and no offset.
          const landed = single || metadata.length === 1 ? metadata[0] : undefined;
          const landedOn = typeof landed?.partition === 'number' && landed.partition >= 0 ? landed.partition : null;
          for (const entry of entries) {
            entry.settle({ ok: true, partition: entry.message.partition ?? landedOn, offset: single ? offsetOf(landed?.baseOffset) : null });
          }
        },
        (error: unknown) => {
          for (const entry of entries) {
            const key = entry.message.value.toString('latin1');
            const partition = failedOn.get(key) ?? null;
            failedOn.delete(key);
            const outcome = failureOutcome(error, settings, trouble.since(entry.troubleAtSend), partition, entry.message.partition);
            // One rejection for a multi-message call: the app cannot tell which messages it covers.
            entry.settle(single ? outcome : { ...outcome, definite: false });
          }
        },
      );
      return Promise.all(tracked.map(([, outcome]) => outcome));
    },

    close(timeoutMs) {
      closing ??= (async () => {
        if (connected) {
          await bounded(producer.flush({ timeout: Math.max(1, timeoutMs) }), timeoutMs + CLOSE_GRACE_MS / 2);
          await bounded(producer.disconnect(), CLOSE_GRACE_MS);
          connected = false;
        }
        for (const entry of [...pending]) {
          entry.settle({ ok: false, definite: false, error: CONFLUENT_CLOSED_BEFORE_OUTCOME, partition: entry.message.partition });
        }
      })();
      return closing;
    },
  };
  return underTest;
};

/** Waits for a client call at most `timeoutMs`; its failure is not ours to report. */
function bounded(call: Promise<unknown>, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, timeoutMs));
    call.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
