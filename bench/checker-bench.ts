import { check } from '../harness/checker/checker';
import type { HistoryOp, ObservedRecord } from '../harness/history/history-types';

/**
 * Checker benchmark: a 1,000,000-message history (2M+ ops) and its observed records, checked by
 * check(). Inputs are generated lazily (generators feeding check()), so the checker's own columns
 * dominate memory, not a 2M-object array. The time therefore includes generating the objects —
 * an upper bound on the checker's own time, and close to what streaming a file costs minus JSON.
 *
 * Standalone: `npx tsx bench/checker-bench.ts [messages]` prints JSON.
 */

/** Messages in the benchmark history. @default 1_000_000 */
export const BENCH_MESSAGES = 1_000_000;
/** Partitions the messages spread over (round-robin), as in the scenarios. @default 3 */
export const BENCH_PARTITIONS = 3;
/** Every FAIL_EVERY-th seq fails once and is resent (the workaround's path). @default 1000 */
export const FAIL_EVERY = 1000;
/** Sample RSS every this many generated items. @default 65_536 */
const RSS_SAMPLE_EVERY = 1 << 16;

export interface CheckerBench {
  checker1MMs: number;
  checker1MRssMb: number;
}

/**
 * Times check() on a generated clean-but-realistic history (one fault and heal, some fail +
 * resend) and reports peak RSS while it ran. Throws if the counts are not the expected ones, so a
 * broken checker cannot post a fast time.
 * @param options.messages @default BENCH_MESSAGES
 */
export async function benchChecker(options: { messages?: number } = {}): Promise<CheckerBench> {
  const messages = options.messages ?? BENCH_MESSAGES;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rss = { peak: process.memoryUsage.rss() };
  const maxRssBeforeKb = process.resourceUsage().maxRSS;

  const started = process.hrtime.bigint();
  const result = check(benchHistory(messages, rss), benchObserved(messages, rss), { lostAcked: 0, undelivered: 0 });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

  rss.peak = Math.max(rss.peak, process.memoryUsage.rss());
  const maxRssAfterKb = process.resourceUsage().maxRSS;
  // If the process-lifetime peak rose during the check, it is the exact peak of the check.
  const peakBytes = maxRssAfterKb > maxRssBeforeKb ? Math.max(rss.peak, maxRssAfterKb * 1024) : rss.peak;

  const c = result.counts;
  if (result.verdict !== 'pass' || c.attempted !== messages || c.acked !== messages || c.observed !== messages ||
      c.reordered !== 0 || c.offsetMismatch !== 0 || c.failed !== 0 || result.timeToFirstAckAfterHealMs[0] == null) {
    throw new Error(`checker bench: unexpected result ${JSON.stringify({ verdict: result.verdict, error: result.error, counts: c })}`);
  }
  return { checker1MMs: Math.round(elapsedMs), checker1MRssMb: Math.round(peakBytes / (1024 * 1024)) };
}

/** invoke → ok per seq, 1 ms apart; every FAIL_EVERY-th seq fails first and is resent; a fault mid-run. */
export function* benchHistory(messages: number, rss = { peak: 0 }): Generator<HistoryOp> {
  let index = 0;
  let timeMs = 0;
  const nextOffset = new Array<number>(BENCH_PARTITIONS).fill(0);
  for (let seq = 0; seq < messages; seq++) {
    if (seq === messages >> 1) {
      yield { index: index++, timeMs, process: 'nemesis', type: 'info', f: 'inject', value: { fault: 'blackhole', target: 'k1' } };
      yield { index: index++, timeMs: timeMs + 1, process: 'nemesis', type: 'info', f: 'heal', value: { fault: 'blackhole', target: 'k1' } };
    }
    const partition = seq % BENCH_PARTITIONS;
    yield { index: index++, timeMs: timeMs++, process: 'p1', type: 'invoke', f: 'send', value: { seq, key: null, partition: null } };
    if (seq % FAIL_EVERY === 0) {
      yield { index: index++, timeMs: timeMs++, process: 'p1', type: 'fail', f: 'send', value: { seq, error: 'NOT_LEADER_FOR_PARTITION' } };
      yield { index: index++, timeMs: timeMs++, process: 'p1', type: 'invoke', f: 'send', value: { seq, key: null, partition: null, attempt: 2 } };
    }
    yield { index: index++, timeMs: timeMs + (seq % 7), process: 'p1', type: 'ok', f: 'send', value: { seq, partition, offset: nextOffset[partition]++ } };
    if ((index & (RSS_SAMPLE_EVERY - 1)) < 4) rss.peak = Math.max(rss.peak, process.memoryUsage.rss());
  }
}

/** What a verifier draining the partitions one after another would write. */
export function* benchObserved(messages: number, rss = { peak: 0 }): Generator<ObservedRecord> {
  let count = 0;
  for (let partition = 0; partition < BENCH_PARTITIONS; partition++) {
    for (let seq = partition, offset = 0; seq < messages; seq += BENCH_PARTITIONS, offset++) {
      yield { partition, offset, seq, key: null };
      if ((++count & (RSS_SAMPLE_EVERY - 1)) === 0) rss.peak = Math.max(rss.peak, process.memoryUsage.rss());
    }
  }
}

if (require.main === module) {
  const messages = process.argv[2] === undefined ? BENCH_MESSAGES : Number(process.argv[2]);
  benchChecker({ messages }).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
