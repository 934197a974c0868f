import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonFile } from '../read-json-file';
import type { RunResults } from '../results-types';

/**
 * A real run, trimmed (reports/testing/fixtures/consumer-transaction-run/): two scenarios of
 * `kchaos run … --parallel 1 --backend local`, run 2026-11-30_20-37-13-11095 (Kafka 4.3.1):
 * - consumers/kafkajs/commit-after-processing/eachMessage/blackhole-coordinator: kafkajs' consumer
 *   stops for good after the coordinator outage (24 of 150 processed, 3 commits failed, p0 stalled 44 s);
 *   its history without the poll / process / commit invokes (nothing reads them: same counts);
 * - transactions/kafkajs/abort-30/leader-cut: 20 transactions, 14 committed, 6 aborted on purpose.
 */
export const CONSUMER_TRANSACTION_FIXTURE = join(__dirname, 'fixtures', 'consumer-transaction-run');

/** A copy of the fixture run folder (a report is written into it), and its results. */
export function copyConsumerTransactionRun(): { runDir: string; results: RunResults } {
  const runDir = mkdtempSync(join(tmpdir(), 'kchaos-sections-'));
  cpSync(CONSUMER_TRANSACTION_FIXTURE, runDir, { recursive: true });
  return { runDir, results: readJsonFile(join(runDir, 'results.json'), 'fixture results', 'restore reports/testing/fixtures/ from git') as RunResults };
}
