import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonReporter, renderResultsJson } from './json-reporter';
import { copyConsumerTransactionRun } from './testing/consumer-transaction-fixture';
import { writeFileAtomic } from './write-file-atomic';
import { runResults, scenarioResult } from './testing/results-builder';

describe('json reporter', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kchaos-json-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes results.json with schemaVersion 1 first, and leaves no temp file', async () => {
    const results = runResults([scenarioResult({ name: 'a <b>' })]);
    await createJsonReporter().onRunEnd!(results, dir);
    const text = readFileSync(join(dir, 'results.json'), 'utf8');
    expect(text.startsWith('{\n  "schemaVersion": 1,')).toBe(true);
    expect(JSON.parse(text)).toEqual(results);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('keeps a real run\'s consumer part and transaction counts as they were (the JSON the other reporters read)', () => {
    const fixture = copyConsumerTransactionRun();
    try {
      const parsed = JSON.parse(renderResultsJson(fixture.results));
      const [consumer, txn] = parsed.scenarios;
      expect(consumer.consumer.counts).toMatchObject({ processedLost: 0, processedTwice: 0, pollSkip: 0, nonmonotonicPoll: 0, committedBeyondProcessed: 0, rebalances: 1, unconsumed: 126 });
      expect(consumer.consumer.stallMsByPartition).toEqual({ 0: 44117, 1: 34057, 2: 34077 });
      expect(txn.counts).toMatchObject({ txnCommitted: 14, txnAborted: 6, txnUnknown: 0, committedLost: 0, abortedRead: 0, tornTransactions: 0, duplicatesAcrossTransactions: 0 });
      expect(parsed).toEqual(fixture.results);
    } finally {
      rmSync(fixture.runDir, { recursive: true, force: true });
    }
  });

  it('keeps the old file whole when the new write fails', () => {
    const path = join(dir, 'results.json');
    writeFileSync(path, 'old');
    // Not a string: the write throws after the temp file was opened.
    expect(() => writeFileAtomic(path, { toString: () => { throw new Error('boom'); } } as unknown as string)).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });
});
