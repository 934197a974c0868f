import { sectionFindings } from './section-findings';
import { counts, scenarioResult } from './testing/results-builder';
import type { ScenarioResult } from './results-types';

const consumer = (name: string, c: Record<string, number>, stalls: Record<string, number>): ScenarioResult => scenarioResult({
  name, consumer: { group: 'g', settings: {}, crash: null, deadlineMs: 1, counts: c, stallMsByPartition: stalls, committed: {}, anomalies: {}, expectations: [] } as unknown as ScenarioResult['consumer'],
});

describe('sectionFindings', () => {
  it('says nothing for a producer-only run', () => {
    expect(sectionFindings([scenarioResult()])).toEqual([]);
  });

  it('sums the consumer anomalies, names where most were, the longest stall and the rebalances', () => {
    const lines = sectionFindings([
      consumer('a', { processedLost: 1, processedTwice: 18, rebalances: 2 }, { 0: 377, 1: 11528 }),
      consumer('b', { processedTwice: 71, rebalances: 2, newCount: 5 }, { 0: 44117 }),
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0].text).toMatch(/^Consumer scenarios \(2\):/);
    expect(lines[0].items).toEqual([
      "processedLost (records below the committed offset no consumer processed: at most once's cost): 1 in 1 scenario; most in a (1)",
      "processedTwice (extra processings: at least once's cost): 89 in 2 scenarios; most in b (71)",
      'pollSkip (offsets skipped within one assignment): 0',
      'nonmonotonicPoll (offsets handed out again or backwards within one assignment): 0',
      'committedBeyondProcessed (commits past a record not processed yet): 0',
      'longest stall: 44.1 s, partition 0 in b',
      'rebalances: 4',
    ]);
  });

  it('sums transactions by status and their anomalies, and says why undelivered counts aborted records', () => {
    const lines = sectionFindings([
      scenarioResult({ name: 't1', counts: counts({ txnCommitted: 14, txnAborted: 6, committedLost: 2, tornTransactions: 1 }) }),
      scenarioResult({ name: 't2', counts: counts({ txnCommitted: 20 }) }),
    ]);
    expect(lines[0].text).toMatch(/^Transactional scenarios \(2\): 34 transactions committed, 6 aborted, 0 unknown\. Their undelivered/);
    expect(lines[0].items![0]).toBe('committedLost (records of committed transactions missing under read_committed): 2 in 1 scenario; most in t1 (2)');
    expect(lines[0].items![1]).toBe('abortedRead (records of aborted transactions visible under read_committed): 0');
  });
});
