import { TRANSACTION_COUNT_NAMES } from '../harness/checker/check-types';
import { describeExpectation } from './expectation-text';
import type { ScenarioResult } from './results-types';

/**
 * The consumer and transaction counts as the text reporters (console, JUnit) name them: one pure
 * source so every reporter says the same words. Read defensively (older results lack fields).
 */

/** The consumer counts a reader looks at first, in this order; any other count follows in results' order. */
export const CONSUMER_HEADLINE_COUNTS = ['processedLost', 'processedTwice', 'pollSkip', 'nonmonotonicPoll', 'committedBeyondProcessed', 'rebalances', 'stallMsMax'] as const;

/** Whether a scenario ran transactions: a transaction count above 0 or transaction settings in its config. */
export function isTransactional(s: ScenarioResult): boolean {
  const counts = (s.counts ?? {}) as unknown as Record<string, unknown>;
  const config = (s.config ?? {}) as Record<string, unknown>;
  return Boolean(config.transactions && typeof config.transactions === 'object') || TRANSACTION_COUNT_NAMES.some((n) => typeof counts[n] === 'number' && (counts[n] as number) > 0);
}

/** `consumer (commit-after-processing): processedLost 0, processedTwice 3, …, stall p0 15.4 s, p1 …`; null for a non-consumer scenario. */
export function consumerCountsLine(s: ScenarioResult): string | null {
  const c = s.consumer;
  if (!c || typeof c !== 'object') return null;
  const counts = (c.counts ?? {}) as unknown as Record<string, unknown>;
  const names = [...CONSUMER_HEADLINE_COUNTS, ...Object.keys(counts).filter((n) => !(CONSUMER_HEADLINE_COUNTS as readonly string[]).includes(n))];
  const parts = names.filter((n) => typeof counts[n] === 'number').map((n) => `${n} ${counts[n] as number}`);
  const stalls = Object.entries(c.stallMsByPartition ?? {}).filter(([, v]) => typeof v === 'number').map(([p, v]) => `p${p} ${(v / 1000).toFixed(1)} s`);
  const mode = typeof c.settings?.mode === 'string' ? c.settings.mode : s.mode;
  return `consumer (${mode}): ${parts.length ? parts.join(', ') : 'no counts recorded'}${stalls.length ? `; longest stall ${stalls.join(', ')}` : ''}`;
}

/** `transactions: txnCommitted 14, txnAborted 6, …`; null for a scenario that ran no transaction. */
export function transactionCountsLine(s: ScenarioResult): string | null {
  if (!isTransactional(s)) return null;
  const counts = (s.counts ?? {}) as unknown as Record<string, unknown>;
  const parts = TRANSACTION_COUNT_NAMES.filter((n) => typeof counts[n] === 'number').map((n) => `${n} ${counts[n] as number}`);
  return `transactions: ${parts.join(', ')}`;
}

/** Failed consumer expectations as `consumer processedLost: expected = 0, actual 1`. */
export function failedConsumerExpectations(s: ScenarioResult): string[] {
  const list = Array.isArray(s.consumer?.expectations) ? s.consumer!.expectations : [];
  return list.filter((e) => e && !e.pass).map((e) => `consumer ${describeExpectation(e as never)}`);
}
