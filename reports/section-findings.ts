import type { FindingLine } from './report-findings';
import { formatCount } from './report-findings';
import type { ScenarioResult } from './results-types';
import { isTransactional } from './section-counts';

/**
 * The findings' sentences about consumer and transactional scenarios (appended to report-findings'
 * producer sentences): sums of results.json counts, so each number traces back. Empty for a run
 * without such scenarios.
 */

const CONSUMER_ANOMALIES = [
  ['processedLost', 'records below the committed offset no consumer processed: at most once\'s cost'],
  ['processedTwice', 'extra processings: at least once\'s cost'],
  ['pollSkip', 'offsets skipped within one assignment'],
  ['nonmonotonicPoll', 'offsets handed out again or backwards within one assignment'],
  ['committedBeyondProcessed', 'commits past a record not processed yet'],
] as const;

const TRANSACTION_ANOMALIES = [
  ['committedLost', 'records of committed transactions missing under read_committed'],
  ['abortedRead', 'records of aborted transactions visible under read_committed'],
  ['tornTransactions', 'transactions partly visible'],
  ['duplicatesAcrossTransactions', 'a record visible from two transactions'],
] as const;

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function sumLine(name: string, what: string, scenarios: readonly ScenarioResult[], value: (s: ScenarioResult) => number): string {
  const some = scenarios.filter((s) => value(s) > 0);
  if (some.length === 0) return `${name} (${what}): 0`;
  const most = [...some].sort((a, b) => value(b) - value(a))[0];
  const total = some.reduce((n, s) => n + value(s), 0);
  return `${name} (${what}): ${formatCount(total)} in ${some.length} scenario${some.length === 1 ? '' : 's'}; most in ${most.name} (${formatCount(value(most))})`;
}

export function sectionFindings(scenarios: readonly ScenarioResult[]): FindingLine[] {
  const lines: FindingLine[] = [];
  const consumers = scenarios.filter((s) => s.consumer && typeof s.consumer === 'object');
  if (consumers.length > 0) {
    const counts = (s: ScenarioResult) => (s.consumer!.counts ?? {}) as unknown as Record<string, unknown>;
    const items = CONSUMER_ANOMALIES.map(([name, what]) => sumLine(name, what, consumers, (s) => num(counts(s)[name])));
    let longest: { s: ScenarioResult; partition: string; ms: number } | null = null;
    for (const s of consumers) {
      for (const [partition, ms] of Object.entries(s.consumer!.stallMsByPartition ?? {})) if (num(ms) > (longest?.ms ?? 0)) longest = { s, partition, ms: num(ms) };
    }
    if (longest) items.push(`longest stall: ${(longest.ms / 1000).toFixed(1)} s, partition ${longest.partition} in ${longest.s.name}`);
    items.push(`rebalances: ${formatCount(consumers.reduce((n, s) => n + num(counts(s).rebalances), 0))}`);
    lines.push({ text: `Consumer scenarios (${consumers.length}): what the consumer under test did with the records (the producer counts above are the harness's pre-fill):`, items });
  }
  const transactional = scenarios.filter(isTransactional);
  if (transactional.length > 0) {
    const c = (s: ScenarioResult, name: string) => num((s.counts as unknown as Record<string, unknown>)[name]);
    const total = (name: string) => transactional.reduce((n, s) => n + c(s, name), 0);
    lines.push({
      text: `Transactional scenarios (${transactional.length}): ${formatCount(total('txnCommitted'))} transactions committed, ${formatCount(total('txnAborted'))} aborted, ${formatCount(total('txnUnknown'))} unknown. `
        + 'Their undelivered and lostAcked above count records of aborted transactions too, which read_committed hides on purpose; these counts judge them:',
      items: TRANSACTION_ANOMALIES.map(([name, what]) => sumLine(name, what, transactional, (s) => c(s, name))),
    });
  }
  return lines;
}
