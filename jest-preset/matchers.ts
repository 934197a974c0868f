import path from 'node:path';
import type { CountName, Counts } from '../harness/checker/check-types';
import type { ScenarioResult } from '../reports/results-types';

/**
 * Jest matchers on a ScenarioResult (what runScenario returns). A failure names the count, the
 * number of messages it concerns and the first offending seqs, so the history can be searched for
 * them. A result whose scenario could not run to the end (verdict unknown, `error` set) or sent
 * nothing fails every matcher, with or without `.not`: its counts prove nothing.
 */

/** First offending seqs quoted in a failure message. @default 10 */
export const FIRST_SEQS_SHOWN = 10;

/** The part of jest's matcher context these matchers use (no dependency on jest's types). */
interface MatcherContext {
  isNot?: boolean;
  utils?: { matcherHint?: (name: string, received?: string, expected?: string, options?: { isNot?: boolean }) => string };
}
interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** One property a scenario must have: a count that must be 0, and how to say what it means. */
interface Property {
  matcher: string;
  count: Extract<CountName, 'lostAcked' | 'undelivered' | 'duplicates' | 'reordered'>;
  /** The count is of distinct seqs (so "first 10 of N" holds); duplicates and reordered count copies / records. */
  countsSeqs: boolean;
  /** "undelivered 50 of 150 attempted messages: never read back" */
  violated: (counts: Counts) => string;
  /** What `.not` expected but did not find. */
  held: (counts: Counts) => string;
}

const PROPERTIES: Property[] = [
  {
    matcher: 'toLoseNoAcknowledgedMessages',
    count: 'lostAcked',
    countsSeqs: true,
    violated: (c) => `lostAcked ${c.lostAcked} of ${c.acked} acknowledged messages: acked, yet never read back (a durability violation)`,
    held: (c) => `all ${c.acked} acknowledged messages were read back (lostAcked 0)`,
  },
  {
    matcher: 'toDeliverEverything',
    count: 'undelivered',
    countsSeqs: true,
    violated: (c) => `undelivered ${c.undelivered} of ${c.attempted} attempted messages: never read back (acked ${c.acked}, failed ${c.failed}, unknown outcome ${c.indeterminate})`,
    held: (c) => `all ${c.attempted} attempted messages were read back (undelivered 0)`,
  },
  {
    matcher: 'toHaveNoDuplicates',
    count: 'duplicates',
    countsSeqs: false,
    violated: (c) => `duplicates ${c.duplicates}: extra copies read back, among ${c.observed} distinct messages observed`,
    held: (c) => `each of the ${c.observed} messages observed was read back once (duplicates 0)`,
  },
  {
    matcher: 'toKeepOrder',
    count: 'reordered',
    countsSeqs: false,
    violated: (c) => `reordered ${c.reordered} records: per partition in offset order, the fewest records to take out so that seqs never decrease`,
    held: (c) => `every partition holds its ${c.observed} messages in seq order (reordered 0)`,
  },
];

function isScenarioResult(value: unknown): value is ScenarioResult {
  const r = value as ScenarioResult;
  return Boolean(r && typeof r === 'object' && r.counts && typeof r.counts.attempted === 'number' && r.anomalies && Array.isArray(r.anomalies.undelivered));
}

/** "0, 3, 6, … (first 10 of 50)" when the number of seqs is known, else "0, 3, 6, …" when more are listed. */
export function firstSeqs(seqs: readonly number[], total: number | undefined, shown = FIRST_SEQS_SHOWN): string {
  const listed = seqs.slice(0, shown);
  if (listed.length === 0) return '(none recorded)';
  if (total !== undefined) return `${listed.join(', ')}${total > listed.length ? `, … (first ${listed.length} of ${total})` : ''}`;
  return `${listed.join(', ')}${seqs.length > listed.length ? ', …' : ''}`;
}

/** Where the evidence is: absolute when the result carries its run folder (runScenario of harness/index.ts). */
function evidence(result: ScenarioResult): string {
  const runDir = (result as ScenarioResult & { runDir?: unknown }).runDir;
  const at = (file: string) => (typeof runDir === 'string' ? path.join(runDir, file) : `${file} (in the run folder)`);
  return `history: ${at(result.artifacts.history)}\nobserved: ${at(result.artifacts.observed)}`;
}

function countsLine(c: Counts): string {
  return `counts: attempted ${c.attempted}, acked ${c.acked}, failed ${c.failed}, unknown ${c.indeterminate}, observed ${c.observed}, ` +
    `lostAcked ${c.lostAcked}, undelivered ${c.undelivered}, duplicates ${c.duplicates}, reordered ${c.reordered}, deliveredDespiteError ${c.deliveredDespiteError}`;
}

function makeMatcher(property: Property) {
  return function (this: MatcherContext, received: unknown): MatcherResult {
    const isNot = Boolean(this?.isNot);
    const hint = this?.utils?.matcherHint?.(property.matcher, 'result', '', { isNot }) ?? `expect(result)${isNot ? '.not' : ''}.${property.matcher}()`;
    if (!isScenarioResult(received)) {
      throw new Error(`${hint}\n\nexpected a ScenarioResult (what runScenario returns), received ${received === null ? 'null' : typeof received}`);
    }
    const r = received;
    const about = `scenario ${JSON.stringify(r.name)} (client ${r.client}, ${r.strategy}, ${r.mode})`;
    // Counts of a scenario that did not run to the end, or sent nothing, prove nothing: fail either way.
    if (r.error !== undefined || r.verdict === 'unknown' || r.counts.attempted === 0) {
      const why = r.error ?? (r.counts.attempted === 0 ? 'no message was attempted' : 'verdict unknown');
      return { pass: isNot, message: () => `${hint}\n\n${about} did not run to the end, so its counts prove nothing: ${why}\n${countsLine(r.counts)}\n${evidence(r)}` };
    }
    const value = r.counts[property.count];
    const pass = value === 0;
    const message = pass
      ? () => `${hint}\n\n${about}: expected ${property.count} > 0, but ${property.held(r.counts)}\n${countsLine(r.counts)}\n${evidence(r)}`
      : () => `${hint}\n\n${about}:\n${property.violated(r.counts)}\nfirst seqs: ${firstSeqs(r.anomalies[property.count], property.countsSeqs ? value : undefined)}\n${countsLine(r.counts)}\n${evidence(r)}`;
    return { pass, message };
  };
}

/** For `expect.extend(kchaosMatchers)`; jest-preset/setup-matchers.ts does this for you. */
export const kchaosMatchers = Object.fromEntries(PROPERTIES.map((p) => [p.matcher, makeMatcher(p)])) as {
  toLoseNoAcknowledgedMessages: (this: MatcherContext, received: unknown) => MatcherResult;
  toDeliverEverything: (this: MatcherContext, received: unknown) => MatcherResult;
  toHaveNoDuplicates: (this: MatcherContext, received: unknown) => MatcherResult;
  toKeepOrder: (this: MatcherContext, received: unknown) => MatcherResult;
};

/** The matchers' types, for `expect` from @types/jest (global) and from @jest/globals / 'expect'. */
export interface KchaosMatchers<R = unknown> {
  /** lostAcked is 0: every message the producer reported as acknowledged was read back. */
  toLoseNoAcknowledgedMessages(): R;
  /** undelivered is 0: every message the app attempted was read back, acknowledged or not. */
  toDeliverEverything(): R;
  /** duplicates is 0: no message was read back more than once. */
  toHaveNoDuplicates(): R;
  /** reordered is 0: per partition, seqs never decrease in offset order. */
  toKeepOrder(): R;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends KchaosMatchers<R> {}
  }
}
