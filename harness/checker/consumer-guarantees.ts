import type { ConsumerExpectationSpec } from './consumer-check-types';
import type { ProcessingMode } from '../consumers/consumer-under-test';

/**
 * What Kafka and the processing mode promise, as default claims of a consumer scenario (each
 * scenario may pin more from measured runs):
 * - every mode: a consumer is handed a partition's records in offset order without gaps
 *   (pollSkip 0);
 * - at least once (commit-after-processing, commit-per-batch, store-after-processing): nothing
 *   below the committed position is left unprocessed (processedLost 0); duplicates are its cost;
 * - at most once (commit-before-processing): a record whose commit succeeded is never handed out
 *   again, so nothing is processed twice (processedTwice 0); losses are its cost;
 * - auto-commit: no claim on loss or duplicates: it depends on what the library calls consumed
 *   (kafkajs: after eachMessage returned; librdkafka: when handed to the app). Measured, not assumed.
 */
export function consumerGuarantees(mode: ProcessingMode): ConsumerExpectationSpec {
  const always: ConsumerExpectationSpec = { pollSkip: 0 };
  switch (mode) {
    case 'commit-after-processing':
    case 'commit-per-batch':
    case 'store-after-processing':
      return { ...always, processedLost: 0 };
    case 'commit-before-processing':
      return { ...always, processedTwice: 0 };
    case 'auto-commit':
      return always;
  }
}
