import { formatFailingExpectations } from './results-table';
import { renderJunitXml } from './junit-reporter';
import { consumerCountsLine, failedConsumerExpectations, transactionCountsLine } from './section-counts';
import { counts, expectation, runResults, scenarioResult } from './testing/results-builder';
import { formatTransactionTable } from './transaction-table';
import type { ScenarioResult } from './results-types';

const consumerCounts = {
  records: 150, processed: 149, unconsumed: 1, processedLost: 1, processedTwice: 0, pollSkip: 0, nonmonotonicPoll: 0,
  committedBeyondProcessed: 149, rebalances: 2, commits: 149, commitsFailed: 0, crashes: 1, stallMsMax: 14455,
};
const consumerFail = scenarioResult({
  name: 'consumers/kafkajs/commit-before-processing/eachMessage/crash <b>',
  mode: 'commit-before-processing',
  verdict: 'fail',
  consumer: {
    group: 'g', settings: { mode: 'commit-before-processing' }, crash: { atMs: 1500, restartAfterMs: 500 }, deadlineMs: 45_000,
    counts: consumerCounts, stallMsByPartition: { 0: 12629, 1: 300 }, committed: { 0: 50 },
    anomalies: { processedLost: [], processedTwice: [], unconsumed: [], pollSkip: [], nonmonotonicPoll: [] },
    expectations: [
      { count: 'processedLost', op: 'eq', value: 0, actual: 1, pass: false },
      { count: 'processedTwice', op: 'eq', value: 0, actual: 0, pass: true },
    ],
  },
});
const txnFail = scenarioResult({
  name: 'transactions/kafkajs/commit/leader-cut',
  verdict: 'fail',
  counts: counts({ txnCommitted: 19, txnAborted: 1, committedLost: 2, tornTransactions: 1 }),
  expectations: [expectation('committedLost', 'eq', 0, 2), expectation('tornTransactions', 'lte', 1, 1)],
});
const producer = scenarioResult({ name: 'seed/x' });

describe('consumer and transaction counts in the text reporters', () => {
  it('names the consumer counts, mode and stalls in one line; none for a producer scenario', () => {
    expect(consumerCountsLine(consumerFail)).toBe('consumer (commit-before-processing): processedLost 1, processedTwice 0, pollSkip 0, nonmonotonicPoll 0, committedBeyondProcessed 149, rebalances 2, stallMsMax 14455, '
      + 'records 150, processed 149, unconsumed 1, commits 149, commitsFailed 0, crashes 1; longest stall p0 12.6 s, p1 0.3 s');
    expect(consumerCountsLine(producer)).toBeNull();
    expect(transactionCountsLine(producer)).toBeNull();
    expect(transactionCountsLine(txnFail)).toBe('transactions: txnCommitted 19, txnAborted 1, txnUnknown 0, committedLost 2, abortedRead 0, tornTransactions 1, duplicatesAcrossTransactions 0, abortedWritten 0');
    expect(failedConsumerExpectations(consumerFail)).toEqual(['consumer processedLost: expected = 0, actual 1']);
  });

  it('JUnit: a failed consumer expectation is named in the failure message, the counts are in the failure and system-out', () => {
    const xml = renderJunitXml(runResults([consumerFail, txnFail, producer]));
    expect(xml).toContain('<failure type="ExpectationFailed" message="1 expectation(s) failed: consumer processedLost: expected = 0, actual 1">');
    expect(xml).not.toContain('no failing expectation recorded');
    expect(xml).toContain('message="1 expectation(s) failed: committedLost: expected = 0, actual 2"');
    expect(xml).toMatch(/<system-out>consumer \(commit-before-processing\): processedLost 1, processedTwice 0,[^<]*\nhistory: scenarios\/s\/history.jsonl/);
    expect(xml).toMatch(/<system-out>transactions: txnCommitted 19, txnAborted 1, txnUnknown 0, committedLost 2,/);
    expect(xml).toContain('name="consumers/kafkajs/commit-before-processing/eachMessage/crash &lt;b&gt;"');
  });

  it('console: failing consumer expectations are listed, and the transaction table marks failed counts', () => {
    expect(formatFailingExpectations([consumerFail]).split('\n')).toEqual([
      'failing expectations (expected vs actual):',
      `  ${consumerFail.name}: consumer processedLost: expected = 0, actual 1`,
    ]);
    const table = formatTransactionTable([consumerFail, txnFail, producer]).split('\n');
    expect(table[0].split(/\s+/)).toEqual(['transaction', 'scenario', 'txnCommitted', 'txnAborted', 'txnUnknown', 'committedLost', 'abortedRead', 'tornTransactions', 'duplicatesAcrossTransactions', 'abortedWritten', 'verdict']);
    expect(table[1].split(/\s+/)).toEqual([txnFail.name, '19', '1', '0', '2*', '0', '1', '0', '0', 'fail']);
    expect(table[2]).toBe('* an expectation on this count failed');
    expect(table).toHaveLength(3);
    expect(formatTransactionTable([producer])).toBe('');
  });

  it('reads older results: a consumer part without counts or stalls', () => {
    const old = scenarioResult({ consumer: { group: 'g', settings: {} } as unknown as ScenarioResult['consumer'] });
    expect(consumerCountsLine(old)).toBe('consumer (library-only): no counts recorded');
    expect(failedConsumerExpectations(old)).toEqual([]);
  });
});
