import type { ProducerSettings } from '../clients/producer-under-test';
import type { WorkloadSettings } from './workload';

/**
 * librdkafka's queue.buffering.max.messages default: the most messages node-rdkafka holds before
 * produce() throws QUEUE_FULL. The full-speed window is exactly this, so the client's own queue is
 * the bound and the harness never turns a full queue into a failed send. @default 100000
 */
export const RDKAFKA_QUEUE_MESSAGES = 100_000;
/** linger.ms at full speed: a few ms gathers full batches without a visible latency cost. @default 5 */
export const FULL_SPEED_LINGER_MS = 5;
/** kafkajs at full speed: messages per send() (one produce request per broker per call). @default 100 */
export const KAFKAJS_MESSAGES_PER_SEND = 100;

/** What one client gets at full speed, under the scenario's own settings (those always win). */
export interface FullSpeedProfile {
  config: Partial<ProducerSettings>;
  workload: Partial<WorkloadSettings>;
}

/**
 * Each client's best configuration, used when a scenario asks for `ratePerSec: null`. Outcomes
 * stay per message and the client's own: a batch only changes how many messages one call hands over.
 * - node-rdkafka: an unbounded window (up to librdkafka's own queue), a linger and librdkafka's
 *   default batch.size (1 MB) instead of the harness-wide 16 KB (Java's default).
 * - kafkajs: KAFKAJS_MESSAGES_PER_SEND messages per send(), a few sends per broker in flight
 *   (kafkajs has no linger: the batch is the call). A failed call fails all its messages: that is
 *   kafkajs' own answer for each of them.
 * - java: the driver gets batches of messages per protocol line and a wide window; the Java
 *   client's linger and a 256 KB batch.size fill its batches. Outcomes come from its per-record callbacks.
 * - confluent: one send() per message (only that gives per-message outcomes), a wide window and a linger.
 */
export const FULL_SPEED: Record<'node-rdkafka' | 'kafkajs' | 'java' | 'confluent', FullSpeedProfile> = {
  'node-rdkafka': { config: { lingerMs: FULL_SPEED_LINGER_MS, batchSizeBytes: 1_000_000 }, workload: { concurrency: RDKAFKA_QUEUE_MESSAGES } },
  kafkajs: { config: { messagesPerSend: KAFKAJS_MESSAGES_PER_SEND }, workload: { concurrency: 32 } },
  java: { config: { lingerMs: FULL_SPEED_LINGER_MS, batchSizeBytes: 262_144, messagesPerSend: 100 }, workload: { concurrency: 200 } },
  confluent: { config: { lingerMs: FULL_SPEED_LINGER_MS, batchSizeBytes: 1_000_000 }, workload: { concurrency: 10_000 } },
};

const NONE: FullSpeedProfile = { config: {}, workload: {} };

/**
 * The full-speed defaults for a scenario: the client's profile when it asks for `ratePerSec: null`
 * and drives a built-in client's plain producer; nothing otherwise (a team's own producer, the
 * resilient mode, transactions and consumer scenarios keep their settings as given).
 */
export function fullSpeedDefaults(scenario: { client: string; mode: string; workload?: Partial<WorkloadSettings>; transactions?: unknown; consumer?: unknown }): FullSpeedProfile {
  if (scenario.workload?.ratePerSec !== null) return NONE;
  if (scenario.mode === 'resilient' || scenario.transactions !== undefined || scenario.consumer !== undefined) return NONE;
  return FULL_SPEED[scenario.client as keyof typeof FULL_SPEED] ?? NONE;
}
