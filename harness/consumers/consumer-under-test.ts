/**
 * The consumer room's contract: one consumer library (kafkajs, node-rdkafka, Confluent's
 * kafka-javascript, …) driven by the harness, the way harness/clients/producer-under-test.ts does
 * it for producers.
 *
 * Who does what:
 * - The LIBRARY owns the loop (kafkajs' run(), librdkafka's consume()): it fetches, rebalances and,
 *   when the mode says so, auto-commits. An adapter (`ConsumerUnderTest`) wraps one library.
 * - The APPLICATION's processing is the harness's (harness/consumers/processing-mode.ts): for every
 *   batch the library hands over, the adapter calls `hooks.delivered(records, offsets)` and awaits
 *   it; the harness processes each record (processingMs each), and commits or stores offsets
 *   through `offsets` as the scenario's processing mode says. So all clients share one definition
 *   of "commit after processing", and only the library calls differ.
 * - Every hook call lands in history.jsonl (poll / process / commit / assign / revoke ops).
 *
 * An adapter must:
 * - call `hooks.assigned` / `hooks.revoked` from the library's rebalance callback, before the first
 *   / after the last delivery of that assignment;
 * - hand records over in the order the library gave them, and not ask for the next batch of a
 *   partition before `delivered` resolved (the library's own back-pressure: kafkajs awaits
 *   eachMessage / eachBatch; a consume() loop awaits the callback);
 * - report the library's own commits (auto-commit, commit on close) with `hooks.autoCommitted`,
 *   and its errors with `hooks.error`; never throw from a library callback;
 * - implement `offsets.commit` (resolve only when the broker accepted it; reject otherwise) and
 *   `offsets.store` (mark processed for the library's auto-commit: kafkajs resolveOffset,
 *   librdkafka offsetsStore). Offsets there are Kafka's "next offset to read" (last processed + 1).
 *
 * Register a new adapter in harness/consumers/consumers.ts (CONSUMERS), keyed by the client name
 * scenarios use. A crash is not the adapter's business: the harness hosts each consumer in a child
 * process and SIGKILLs it (harness/consumers/consumer-host.ts).
 */

/**
 * How the application moves the group's position (recorded in results as the scenario's choice):
 * - `auto-commit`: the library commits on its timer what it considers consumed (kafkajs: offsets
 *   resolved after eachMessage / eachBatch returned; librdkafka: offsets STORED when a message is
 *   handed to the app, enable.auto.offset.store=true, so not yet processed);
 * - `store-after-processing`: auto-commit on, but the app marks each record processed itself
 *   (librdkafka enable.auto.offset.store=false + offsetsStore; kafkajs eachBatch with
 *   eachBatchAutoResolve false + resolveOffset; eachMessage resolves after processing anyway);
 * - `commit-before-processing`: at most once: commit the batch's next offsets, then process;
 * - `commit-after-processing`: at least once: process a record, commit its next offset;
 * - `commit-per-batch`: at least once, cheaper: process the whole batch, then commit once.
 */
export const PROCESSING_MODES = [
  'auto-commit',
  'store-after-processing',
  'commit-before-processing',
  'commit-after-processing',
  'commit-per-batch',
] as const;
export type ProcessingMode = (typeof PROCESSING_MODES)[number];

/** The processing modes whose commits come from the library's timer, not the application. */
export const AUTO_COMMIT_MODES: readonly ProcessingMode[] = ['auto-commit', 'store-after-processing'];

/** kafkajs-style APIs: one message per call, or a batch per call (librdkafka consume(n) is a batch). */
export const CONSUMER_APIS = ['eachMessage', 'eachBatch'] as const;
export type ConsumerApi = (typeof CONSUMER_APIS)[number];

/** Consumer settings the harness maps onto every client (each field's default is the scenario's). */
export interface ConsumerSettings {
  /** group.id; every incarnation of the consumer under test joins this group. */
  groupId: string;
  /** @default 'commit-after-processing' */
  mode: ProcessingMode;
  /** @default 'eachMessage' (node-rdkafka: eachMessage = consume(1), eachBatch = consume(maxPollRecords)) */
  api: ConsumerApi;
  /** The application's work per record (a sleep). @default 0 */
  processingMs: number;
  /** auto.commit.interval.ms / kafkajs autoCommitInterval. @default 1000 */
  autoCommitIntervalMs: number;
  /** kafkajs autoCommitThreshold (commit after this many resolved offsets); null: none. Others ignore it. @default null */
  autoCommitThreshold: number | null;
  /** session.timeout.ms. @default 10000 */
  sessionTimeoutMs: number;
  /** heartbeat.interval.ms. @default 1000 */
  heartbeatIntervalMs: number;
  /** max.poll.interval.ms (kafkajs: rebalanceTimeout). @default 30000 */
  maxPollIntervalMs: number;
  /** Records per consume() / batch upper bound where the client has one. @default 100 */
  maxPollRecords: number;
  /** One request's timeout. @default 5000 */
  requestTimeoutMs: number;
  /** auto.offset.reset when the group has no committed offset. @default 'earliest' */
  autoOffsetReset: 'earliest' | 'latest';
  /** fetch.wait.max.ms / kafkajs maxWaitTimeInMs. @default 500 */
  fetchMaxWaitMs: number;
  /** Passed to the client unchanged, after the mapped settings (librdkafka properties; kafkajs consumer options). */
  raw: Record<string, string | number | boolean>;
}

export const DEFAULT_CONSUMER_SETTINGS: Omit<ConsumerSettings, 'groupId'> = {
  mode: 'commit-after-processing',
  api: 'eachMessage',
  processingMs: 0,
  autoCommitIntervalMs: 1_000,
  autoCommitThreshold: null,
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  maxPollIntervalMs: 30_000,
  maxPollRecords: 100,
  requestTimeoutMs: 5_000,
  autoOffsetReset: 'earliest',
  fetchMaxWaitMs: 500,
  raw: {},
};

/** One record as the library handed it to the application. */
export interface ConsumedRecord {
  partition: number;
  offset: number;
  /** The seq the harness's pre-fill wrote into the value; null when the value had none. */
  seq: number | null;
  key: string | null;
}

/** Kafka's committed-offset convention: the NEXT offset to read on a partition (last processed + 1). */
export interface OffsetPosition {
  partition: number;
  offset: number;
}

/** What the library offers the application to move the group's position. */
export interface LibraryOffsets {
  /** Commits these positions; resolves once the broker accepted them, rejects with the library's error otherwise. */
  commit(positions: OffsetPosition[]): Promise<void>;
  /** Marks these positions processed for the library's own (auto) commit. */
  store(positions: OffsetPosition[]): void;
}

/** Called by the adapter; the harness records each call in the history. */
export interface ConsumerHooks {
  /** The library assigned partitions; `generation` is the group generation when the library tells it, else null. */
  assigned(partitions: number[], generation: number | null): void;
  /** The library revoked partitions (before a rebalance, or on close). */
  revoked(partitions: number[], generation: number | null): void;
  /**
   * A batch (one record for eachMessage) handed to the application. Resolves when the application
   * is done with it (processed, committed or stored per the mode); rejects when the application's
   * commit failed in a mode that must not go on (the adapter then lets the library redeliver, as an
   * app that throws would: kafkajs re-runs the batch, a consume loop seeks back).
   */
  delivered(records: ConsumedRecord[], offsets: LibraryOffsets): Promise<void>;
  /** The library committed on its own (auto-commit timer, threshold, close); error null on success. */
  autoCommitted(positions: OffsetPosition[], error: string | null): void;
  /** An error the library reported outside a call (connection trouble, a failed fetch, a rebalance error). */
  error(message: string): void;
}

/** One consumer library under test. Nothing here throws once start() resolved: trouble goes to hooks.error. */
export interface ConsumerUnderTest {
  readonly client: string;
  /** Connects, subscribes to the topic in `settings.groupId` and starts the library's loop. */
  start(hooks: ConsumerHooks): Promise<void>;
  /** The library's graceful close (what it commits then, it reports through autoCommitted), within timeoutMs. */
  close(timeoutMs: number): Promise<void>;
}

/** `bootstrap` is the proxied bootstrap (the consumer stays behind the proxies); `consumerId` names this incarnation ("c1"). */
export type ConsumerFactory = (bootstrap: string, topic: string, settings: ConsumerSettings, consumerId: string) => ConsumerUnderTest;
