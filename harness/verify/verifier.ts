import fs from 'node:fs';
import path from 'node:path';
import { KafkaConsumer, LibrdKafkaError, Message, Metadata, TopicPartitionOffset } from 'node-rdkafka';
import { HarnessError } from '../errors';
import type { ObservedRecord } from '../history/history-types';

/**
 * The verifier reads the topic back over the DIRECT listeners with node-rdkafka's KafkaConsumer and
 * assign(): no group join, no commits, librdkafka's fetcher prefetching in C while JS takes batches.
 * (kafkajs cannot consume without joining a group, which alone costs seconds per drain, and decodes
 * record batches in JS.)
 *
 * It reads read_committed, as an application's consumer does: records of aborted transactions are
 * not observed, and a partition's end is its last stable offset (LSO), which equals the high-water
 * mark when no transaction is open. The end offsets taken at the start are therefore LSOs (librdkafka
 * lists offsets with the consumer's isolation level), never above what read_committed can reach.
 * Transaction markers (control records) and aborted records take offsets that are never returned,
 * so the drain cannot count returned offsets up to the end: librdkafka's partition EOF event
 * (enable.partition.eof), emitted when the fetcher reaches the partition's end, gives the offset
 * it stands at, past every marker and aborted record below it.
 */

/** @default 30000 */
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
/** Messages taken from librdkafka per consume() call. @default 10000 */
const CONSUME_BATCH = 10_000;
/** consume() waits at most this long for one message before returning what it has. @default 100 */
const CONSUME_WAIT_MS = 100;
/** Metadata and watermark queries, each. @default 10000 */
const QUERY_TIMEOUT_MS = 10_000;
/** disconnect() is not awaited longer than this. @default 5000 */
const DISCONNECT_TIMEOUT_MS = 5_000;

export type IsolationLevel = 'read_committed' | 'read_uncommitted';

export interface DrainOptions {
  /** Whole drain, connect included. @default 30000 */
  timeoutMs?: number;
  /**
   * read_uncommitted reads to the high-water mark and returns records of aborted and open
   * transactions too (the transactions checker's abortedWritten); markers still leave gaps.
   * @default 'read_committed'
   */
  isolation?: IsolationLevel;
}

interface PartitionProgress {
  partition: number;
  low: number;
  /** End offset taken at the start of the drain (read_committed: the LSO): read [low, high). */
  high: number;
  /** Next offset still to read. */
  next: number;
  /** Highest offset a partition EOF reported, not yet applied to `next`. */
  eofAt?: number;
}

/** The seq in a value the harness wrote (`{"seq": <n>, ...}`), or null. */
export function parseSeq(value: Buffer | null | undefined): number | null {
  if (!value || value.length === 0) return null;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    const seq = (parsed as { seq?: unknown } | null)?.seq;
    return typeof seq === 'number' && Number.isInteger(seq) ? seq : null;
  } catch {
    return null;
  }
}

function keyText(key: Message['key']): string | null {
  if (key === null || key === undefined) return null;
  return Buffer.isBuffer(key) ? key.toString('utf8') : String(key);
}

const remaining = (deadlineMs: number) => Math.max(1, deadlineMs - Date.now());

function withDeadline<T>(what: string, deadlineMs: number, run: (cb: (error: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out`)), remaining(deadlineMs));
    run((error, value) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value as T);
    });
  });
}

function describe(error: unknown): string {
  const e = error as Partial<LibrdKafkaError>;
  return e && typeof e.message === 'string' ? e.message : String(error);
}

const isDone = (p: PartitionProgress) => p.next >= p.high;

function progressText(progress: PartitionProgress[]): string {
  return progress
    .map((p) => `partition ${p.partition}: read to offset ${p.next} of [${p.low}, ${p.high})${isDone(p) ? ' (done)' : ''}`)
    .join('; ');
}

/**
 * Reads every partition of `topic`, read_committed, from its earliest offset to its end as of the
 * start of the drain (the LSO then: records of a transaction still open are not waited for).
 * Records of aborted transactions are not returned; their offsets and the markers' are gaps.
 * Returns the records sorted by partition, then offset.
 * @throws HarnessError when the ends are not reached within `timeoutMs`.
 */
export async function drainTopic(directBootstrap: string, topic: string, options: DrainOptions = {}): Promise<ObservedRecord[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  const deadlineMs = Date.now() + timeoutMs;
  const consumer = new KafkaConsumer(
    {
      'metadata.broker.list': directBootstrap,
      'client.id': 'kchaos-verifier',
      // Required by librdkafka's consumer object; with assign() the group is never joined.
      'group.id': `kchaos-verifier-${process.pid}-${Date.now()}`,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      // The fetcher's "reached the end" event: under read_committed the only reliable end signal.
      'enable.partition.eof': true,
      // What an application's consumer sees: aborted transactions' records are left out (DESIGN.md,
      // abortedRead). librdkafka's default, set here so no config change can flip it silently.
      'isolation.level': options.isolation ?? 'read_committed',
      'fetch.wait.max.ms': 50,
      'fetch.min.bytes': 1,
      'fetch.max.bytes': 52_428_800,
      'max.partition.fetch.bytes': 8_388_608,
      'queued.min.messages': 200_000,
      'queued.max.messages.kbytes': 262_144,
      'reconnect.backoff.ms': 50,
      'reconnect.backoff.max.ms': 500,
      'socket.connection.setup.timeout.ms': 5_000,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);

  let progress: PartitionProgress[] = [];
  let connected = false;
  try {
    const metadata = await withDeadline<Metadata>(`connecting to ${directBootstrap}`, deadlineMs, (cb) =>
      consumer.connect({ topic, timeout: Math.min(QUERY_TIMEOUT_MS, remaining(deadlineMs)) }, cb),
    );
    connected = true;
    const topicMetadata = metadata.topics.find((t) => t.name === topic);
    if (!topicMetadata || topicMetadata.partitions.length === 0) {
      throw new HarnessError(`verifier: topic ${topic} has no partitions in the metadata from ${directBootstrap}`, {
        hint: 'create the topic before the scenario (cluster.createTopic) and drain the same name',
      });
    }
    const partitions = topicMetadata.partitions.map((p) => p.id).sort((a, b) => a - b);

    progress = await Promise.all(
      partitions.map(async (partition) => {
        const marks = await withDeadline<{ lowOffset: number; highOffset: number }>(
          `watermarks of ${topic}/${partition}`,
          deadlineMs,
          (cb) => consumer.queryWatermarkOffsets(topic, partition, Math.min(QUERY_TIMEOUT_MS, remaining(deadlineMs)), cb),
        );
        return { partition, low: marks.lowOffset, high: marks.highOffset, next: marks.lowOffset };
      }),
    );

    const byPartition = new Map(progress.map((p) => [p.partition, p]));
    const records: ObservedRecord[][] = progress.map(() => []);
    const indexOf = new Map(progress.map((p, i) => [p.partition, i]));
    const open = () => progress.filter((p) => !isDone(p));
    // Emitted inside consume() before its callback; the offset is where the fetcher stands: past
    // every record, aborted record and marker below the partition's end as that fetch saw it.
    consumer.on('partition.eof', (eof: TopicPartitionOffset) => {
      const p = byPartition.get(eof.partition);
      if (p && eof.topic === topic && typeof eof.offset === 'number') p.eofAt = Math.max(p.eofAt ?? eof.offset, eof.offset);
    });

    if (open().length > 0) {
      consumer.assign(open().map((p) => ({ topic, partition: p.partition, offset: p.low })));
    }
    let lastError: unknown;
    while (open().length > 0) {
      if (Date.now() >= deadlineMs) {
        throw new HarnessError(
          `verifier: draining ${topic} over ${directBootstrap} did not reach the partitions' ends within ${timeoutMs} ms: ${progressText(progress)}` +
            (lastError ? ` (last consumer error: ${describe(lastError)})` : ''),
          { hint: 'check that every broker is up and reachable on its DIRECT listener, or raise the drain timeout' },
        );
      }
      let batch: Message[];
      try {
        batch = await new Promise<Message[]>((resolve, reject) =>
          consumer.consume(CONSUME_BATCH, (error, messages) => (error ? reject(error) : resolve(messages))),
        );
      } catch (error) {
        lastError = error; // transient (a broker restarting, a fetch error): try again until the deadline
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      for (const message of batch) {
        const p = byPartition.get(message.partition);
        if (!p || message.offset < p.next) continue; // re-delivered
        if (message.offset >= p.high) {
          p.next = p.high; // written after the drain began: the fetcher is past everything below the end
          continue;
        }
        records[indexOf.get(p.partition)!].push({
          partition: message.partition,
          offset: message.offset,
          seq: parseSeq(message.value),
          key: keyText(message.key),
        });
        p.next = message.offset + 1;
      }
      // Offsets that hold no record for us (markers, aborted records, compaction) are skipped by
      // the fetcher: the EOF's offset, not the last record, says how far it got. (Applied after the
      // batch: its messages before the EOF must not look re-delivered.) An EOF below the end (a new
      // leader whose high-water mark still lags) only moves `next`; the next EOF comes at the end.
      for (const p of progress) {
        if (p.eofAt !== undefined && p.eofAt > p.next) p.next = Math.min(p.eofAt, p.high);
        p.eofAt = undefined;
      }
    }
    return records.flat();
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError(
      `verifier: draining ${topic} over ${directBootstrap} failed: ${describe(error)}` + (progress.length ? ` (${progressText(progress)})` : ''),
      { cause: error, hint: 'check that the cluster is up and the DIRECT listeners are reachable' },
    );
  } finally {
    if (connected || consumer.isConnected()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DISCONNECT_TIMEOUT_MS);
        consumer.disconnect(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** One observed.jsonl line: `{"partition":1,"offset":0,"seq":0,"key":"k-0"}`. */
export function observedLine(record: ObservedRecord): string {
  return JSON.stringify({ partition: record.partition, offset: record.offset, seq: record.seq, key: record.key });
}

/** Writes observed.jsonl (DESIGN.md, Contracts), one record a line, creating the folder. */
export async function writeObserved(filePath: string, records: readonly ObservedRecord[]): Promise<void> {
  await fs.promises.mkdir(path.dirname(filePath), { recursive: true });
  await fs.promises.writeFile(filePath, records.map((r) => `${observedLine(r)}\n`).join(''), 'utf8');
}
