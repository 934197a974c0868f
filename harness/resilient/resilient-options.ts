import { HarnessError } from '../errors';
import type { ProducerSettings } from '../clients/producer-under-test';
import { DEFAULT_BROKER_HEALTH } from './broker-health';
import { DEFAULT_BACKLOG_MAX_BYTES } from './backlog-file';
import { KEYED_POLICIES, KeyedPolicy } from './partition-router';

/** The clients the resilient producer can drive (the harness's ProducerUnderTest adapters). */
export const RESILIENT_CLIENTS = ['kafkajs', 'node-rdkafka'] as const;
export type ResilientClient = (typeof RESILIENT_CLIENTS)[number];

export function isResilientClient(client: string): client is ResilientClient {
  return (RESILIENT_CLIENTS as readonly string[]).includes(client);
}

/** createResilientProducer's options; every default is documented where it is declared. */
export interface ResilientProducerOptions {
  /** The client library underneath. */
  client: ResilientClient;
  /** Comma-separated host:port list; metadata is fetched through it too. */
  bootstrap: string;
  topic: string;
  /** Client settings (acks, timeouts, …). @default DEFAULT_PRODUCER_SETTINGS */
  settings?: Partial<ProducerSettings>;
  /** What a keyed message (or one with an explicit partition) does while its partition's leader is unhealthy: see KeyedPolicy. */
  keyedPolicy: KeyedPolicy;
  /**
   * An on-disk backlog (append-only file, fsync per batch). With it, a message that cannot be
   * delivered now (held, or out of attempts) is written there and send() resolves with
   * `via: 'backlogged'`; the backlog is replayed in order once brokers are healthy, by this producer
   * or the next one opened on the same dir. Without it such a message waits in memory ('hold') or
   * send() rejects (out of attempts). @default none
   */
  backlog?: { dir: string; /** @default 64 MiB */ maxBytes?: number };
  /** Messages held in memory (in flight, held, waiting, retrying); send() rejects beyond. @default 10000 */
  maxBufferedMessages?: number;
  /** Sends per message, the first and probes included. @default 5 */
  maxAttempts?: number;
  /** No new attempt after this long since send(); then backlog (if any) or rejection. @default 30000 */
  deliveryDeadlineMs?: number;
  /** First cooldown of an unhealthy broker before a probe. @default 2000 */
  cooldownMs?: number;
  /** The cooldown doubles per failed probe up to this. @default 15000 */
  maxCooldownMs?: number;
  /** A send outstanding this long, with no ack from its broker meanwhile, marks the broker unhealthy. @default 1000 */
  suspectAfterMs?: number;
  /**
   * Unkeyed messages stay on one healthy partition this long before the next one takes over, so
   * that the client batches them (librdkafka's sticky.partitioning.linger.ms, also 10 ms). 0:
   * strict round-robin. @default 10
   */
  stickyMs?: number;
  /** Metadata (partition → leader) refresh period; failures also trigger a refresh. @default 10000 */
  metadataRefreshMs?: number;
  /** One metadata request's bound. @default 5000 */
  metadataTimeoutMs?: number;
  /** connect() gives up after this (client connect plus first metadata). @default 30000 */
  connectTimeoutMs?: number;
  /** Key → partition. @default murmur2 (the Java client's and kafkajs' default partitioner) */
  partitionForKey?: (key: string, partitions: number) => number;
}

export type ResolvedResilientOptions = Required<Omit<ResilientProducerOptions, 'backlog' | 'settings'>> & {
  backlog: { dir: string; maxBytes: number } | null;
  settings: Partial<ProducerSettings>;
};

export const RESILIENT_DEFAULTS = {
  maxBufferedMessages: 10_000,
  maxAttempts: 5,
  deliveryDeadlineMs: 30_000,
  cooldownMs: DEFAULT_BROKER_HEALTH.cooldownMs,
  maxCooldownMs: DEFAULT_BROKER_HEALTH.maxCooldownMs,
  suspectAfterMs: DEFAULT_BROKER_HEALTH.suspectAfterMs,
  stickyMs: 10,
  metadataRefreshMs: 10_000,
  metadataTimeoutMs: 5_000,
  connectTimeoutMs: 30_000,
} as const;

function bad(field: string, value: unknown, fix: string): never {
  throw new HarnessError(`createResilientProducer: options.${field}: ${JSON.stringify(value)} is not allowed`, { hint: fix });
}

/** Checks the options (one error naming the first wrong field) and applies the defaults. */
export function resolveResilientOptions(options: ResilientProducerOptions, partitionForKey: (key: string, partitions: number) => number): ResolvedResilientOptions {
  if (!options || typeof options !== 'object') bad('', options, 'pass an object: { client, bootstrap, topic, keyedPolicy }');
  if (!isResilientClient(options.client)) bad('client', options.client, `use ${RESILIENT_CLIENTS.join(' or ')}`);
  if (typeof options.bootstrap !== 'string' || !options.bootstrap.trim()) bad('bootstrap', options.bootstrap, 'give "host:port[,host:port…]"');
  if (typeof options.topic !== 'string' || !options.topic) bad('topic', options.topic, 'give the topic name');
  if (!KEYED_POLICIES.includes(options.keyedPolicy)) bad('keyedPolicy', options.keyedPolicy, "use 'hold' (keep key affinity, wait for the leader) or 'reroute' (send to a healthy partition)");
  const resolved = { ...RESILIENT_DEFAULTS, partitionForKey, ...stripUndefined(options) };
  for (const field of ['maxBufferedMessages', 'maxAttempts'] as const) {
    if (!Number.isInteger(resolved[field]) || resolved[field] < 1) bad(field, resolved[field], 'give a positive integer');
  }
  for (const field of ['deliveryDeadlineMs', 'cooldownMs', 'maxCooldownMs', 'suspectAfterMs', 'metadataRefreshMs', 'metadataTimeoutMs', 'connectTimeoutMs'] as const) {
    if (typeof resolved[field] !== 'number' || !(resolved[field] > 0)) bad(field, resolved[field], 'give a positive number of ms');
  }
  if (typeof resolved.stickyMs !== 'number' || !(resolved.stickyMs >= 0)) bad('stickyMs', resolved.stickyMs, 'give a number of ms, 0 or more');
  let backlog: ResolvedResilientOptions['backlog'] = null;
  if (options.backlog !== undefined) {
    if (!options.backlog || typeof options.backlog.dir !== 'string' || !options.backlog.dir) bad('backlog.dir', options.backlog?.dir, 'give a directory for the backlog file, e.g. { dir: "./kafka-backlog" }');
    const maxBytes = options.backlog.maxBytes ?? DEFAULT_BACKLOG_MAX_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < 1024) bad('backlog.maxBytes', maxBytes, 'give a byte count of at least 1024');
    backlog = { dir: options.backlog.dir, maxBytes };
  }
  return { ...resolved, settings: options.settings ?? {}, backlog };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
