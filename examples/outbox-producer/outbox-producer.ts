/**
 * A team's producer as it might look in their own repository: an outbox in front of kafkajs.
 *
 * - `send()` appends the message to the outbox and resolves once it is acknowledged; the ack
 *   removes it from the outbox.
 * - A sender loop sends what the outbox holds, a bounded number at a time; a failed send is tried
 *   again after a short pause, for up to `giveUpAfterMs`.
 * - A partition whose send timed out (its leader is unreachable from here: the case behind
 *   KAFKA-3686) is avoided for `avoidPartitionMs`: the outbox's messages go to the others.
 *
 * The outbox is in memory here; a real one would be a table or a file, so that messages survive a
 * restart. The harness drives it through `createProducer` (the default export name it looks for).
 * In your repository the import is `from 'kafka-chaos-harness'`.
 */
import { CompressionTypes, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import type { CustomProducer, CustomProducerMessage, CustomProducerSettings, CustomSendResult } from '../../harness';

export interface OutboxProducerOptions {
  /** One send may take this long before the outbox counts it as timed out. @default 2 × requestTimeoutMs */
  attemptTimeoutMs?: number;
  /** A partition whose send timed out gets no messages for this long. @default 30000 */
  avoidPartitionMs?: number;
  /** Pause before a failed message is sent again. @default 200 */
  retryBackoffMs?: number;
  /** Sends in flight at once. @default 32 */
  maxInFlight?: number;
  /** A message not acknowledged this long after it was appended is given up (its send() rejects). @default 25000 */
  giveUpAfterMs?: number;
}

const DEFAULT_AVOID_PARTITION_MS = 30_000;
const DEFAULT_RETRY_BACKOFF_MS = 200;
const DEFAULT_MAX_IN_FLIGHT = 32;
const DEFAULT_GIVE_UP_AFTER_MS = 25_000;
/** The sender loop looks at the outbox at least this often. */
const LOOP_IDLE_MS = 50;

interface OutboxEntry {
  id: number;
  message: CustomProducerMessage;
  appendedAtMs: number;
  attempts: number;
  notBeforeMs: number;
  inFlight: boolean;
  acked: (result: CustomSendResult) => void;
  givenUp: (error: Error) => void;
}

/** Messages waiting for their ack, in the order they were appended. */
export class InMemoryOutbox {
  private readonly entries = new Map<number, OutboxEntry>();
  append(entry: OutboxEntry): void {
    this.entries.set(entry.id, entry);
  }
  remove(id: number): void {
    this.entries.delete(id);
  }
  get size(): number {
    return this.entries.size;
  }
  /** Up to `limit` entries not in flight whose pause is over, oldest first. */
  due(nowMs: number, limit: number): OutboxEntry[] {
    const due: OutboxEntry[] = [];
    for (const entry of this.entries.values()) {
      if (due.length >= limit) break;
      if (!entry.inFlight && entry.notBeforeMs <= nowMs) due.push(entry);
    }
    return due;
  }
  all(): OutboxEntry[] {
    return [...this.entries.values()];
  }
}

/** Which partitions to send to: round-robin over those whose sends have not timed out lately. */
export class PartitionChooser {
  private readonly avoidedUntilMs = new Map<number, number>();
  private next = 0;
  constructor(private readonly partitions: number) {}

  avoid(partition: number, untilMs: number): void {
    this.avoidedUntilMs.set(partition, untilMs);
  }

  /** The preferred partition if it is not avoided; else the next healthy one (all, if none is). */
  pick(preferred: number | null, nowMs: number): number {
    const healthy = Array.from({ length: this.partitions }, (_, p) => p).filter((p) => (this.avoidedUntilMs.get(p) ?? 0) <= nowMs);
    if (preferred !== null && healthy.includes(preferred)) return preferred;
    const candidates = healthy.length > 0 ? healthy : Array.from({ length: this.partitions }, (_, p) => p);
    return candidates[this.next++ % candidates.length];
  }
}

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`send timed out after ${ms} ms (outbox)`);
    this.name = 'AttemptTimeout';
  }
}

/** True when the error, or one it wraps, is a timeout (kafkajs wraps the last attempt's error). */
export function isTimeout(error: unknown): boolean {
  let current = error as { name?: string; message?: string; cause?: unknown; originalError?: unknown } | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    if (/timeout|timed out/i.test(`${current.name ?? ''} ${current.message ?? ''}`)) return true;
    current = (current.cause ?? current.originalError) as typeof current;
  }
  return false;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AttemptTimeout(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A sleep that `wake()` cuts short. */
class Wakeable {
  private wakeUp: (() => void) | undefined;
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }
  wake(): void {
    this.wakeUp?.();
  }
}

/** The factory the harness calls: `(bootstrap, settings & { topic })` → { connect, send, close }. */
export function createProducer(bootstrap: string, settings: CustomProducerSettings, options: OutboxProducerOptions = {}): CustomProducer {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 2 * settings.requestTimeoutMs;
  const avoidPartitionMs = options.avoidPartitionMs ?? DEFAULT_AVOID_PARTITION_MS;
  const retryBackoffMs = options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const giveUpAfterMs = options.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS;

  const kafka = new Kafka({
    clientId: 'outbox-producer',
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: settings.requestTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: settings.retries, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const producer: Producer = kafka.producer({
    idempotent: settings.idempotent,
    maxInFlightRequests: settings.maxInFlight,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const outbox = new InMemoryOutbox();
  const loop = new Wakeable();
  let chooser: PartitionChooser | undefined;
  let nextId = 0;
  let inFlight = 0;
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();

  const attempt = async (entry: OutboxEntry, partition: number) => {
    entry.inFlight = true;
    entry.attempts++;
    inFlight++;
    try {
      const [metadata] = await withTimeout(
        producer.send({
          topic: settings.topic,
          acks: settings.acks === 'all' ? -1 : settings.acks,
          timeout: settings.requestTimeoutMs,
          compression: CompressionTypes.None,
          messages: [{ key: entry.message.key, value: entry.message.value, partition }],
        }),
        attemptTimeoutMs,
      );
      outbox.remove(entry.id); // the ack removes it from the outbox
      entry.acked({ partition: metadata?.partition ?? partition, offset: metadata?.baseOffset ?? -1 });
    } catch (error) {
      const now = Date.now();
      if (isTimeout(error)) chooser?.avoid(partition, now + avoidPartitionMs);
      if (now - entry.appendedAtMs >= giveUpAfterMs) {
        outbox.remove(entry.id);
        entry.givenUp(new Error(`outbox gave up after ${entry.attempts} attempts: ${(error as Error).message}`));
      } else {
        entry.notBeforeMs = now + retryBackoffMs;
      }
    } finally {
      entry.inFlight = false;
      inFlight--;
      loop.wake();
    }
  };

  const senderLoop = async () => {
    while (running) {
      const now = Date.now();
      for (const entry of outbox.due(now, maxInFlight - inFlight)) {
        void attempt(entry, chooser!.pick(entry.message.partition, now));
      }
      await loop.sleep(LOOP_IDLE_MS);
    }
  };

  return {
    async connect() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [settings.topic] });
        chooser = new PartitionChooser(topics[0].partitions.length);
      } finally {
        await admin.disconnect();
      }
      await producer.connect();
      running = true;
      loopDone = senderLoop();
    },

    send(message) {
      if (!running) return Promise.reject(Object.assign(new Error('outbox producer is not running'), { definite: true }));
      return new Promise<CustomSendResult>((acked, reject) => {
        const now = Date.now();
        // A rejection after retries is unknown, not "not written": an earlier attempt that timed out may still land.
        const givenUp = (error: Error) => reject(Object.assign(error, { definite: false }));
        outbox.append({ id: nextId++, message, appendedAtMs: now, attempts: 0, notBeforeMs: now, inFlight: false, acked, givenUp });
        loop.wake();
      });
    },

    async close() {
      running = false;
      loop.wake();
      await loopDone;
      for (const entry of outbox.all()) {
        outbox.remove(entry.id);
        entry.givenUp(new Error('outbox closed before the message was acknowledged'));
      }
      await producer.disconnect().catch(() => {});
    },
  };
}
