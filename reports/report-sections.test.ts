import fc from 'fast-check';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkConsumers } from '../harness/checker/consumer-checker';
import { checkTransactions } from '../harness/checker/transaction-checker';
import type { HistoryOp, ObservedRecord } from '../harness/history/history-types';
import { commitBehaviour } from './consumer-commit-behaviour';
import { consumerSection } from './consumer-section';
import { jsonForScript } from './escape';
import { HTML_REPORT_SCRIPT } from './html-report-script';
import { renderHtmlReport } from './html-reporter';
import { buildReportData } from './report-data';
import type { RunResults, ScenarioResult } from './results-types';
import { copyConsumerTransactionRun } from './testing/consumer-transaction-fixture';
import { counts, scenarioResult } from './testing/results-builder';
import { transactionSection } from './transaction-section';

const jsonl = <T>(path: string): T[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);

describe('report sections from a real consumer and transaction run (fixture)', () => {
  let runDir: string;
  let results: RunResults;
  beforeAll(() => ({ runDir, results } = copyConsumerTransactionRun()));
  afterAll(() => rmSync(runDir, { recursive: true, force: true }));
  const scenario = (prefix: string) => results.scenarios.find((s) => s.name.startsWith(prefix))!;

  it('keeps the trimmed fixture faithful: the checkers give the counts results.json recorded', () => {
    const c = scenario('consumers/');
    const consumerCheck = checkConsumers(jsonl<HistoryOp>(join(runDir, c.artifacts.history)), jsonl<ObservedRecord>(join(runDir, c.artifacts.observed)));
    // toMatchObject: a newer checker may add counts the recorded run did not have.
    expect(consumerCheck.counts).toMatchObject(c.consumer!.counts);
    expect(consumerCheck.stallMsByPartition).toEqual(c.consumer!.stallMsByPartition);
    const t = scenario('transactions/');
    const txnCheck = checkTransactions(jsonl<HistoryOp>(join(runDir, t.artifacts.history)), jsonl<ObservedRecord>(join(runDir, t.artifacts.observed)), jsonl<ObservedRecord>(join(runDir, t.artifacts.observedUncommitted)));
    for (const [name, value] of Object.entries(txnCheck.counts)) expect([name, t.counts[name as keyof typeof t.counts]]).toEqual([name, value]);
  });

  it('draws the consumer section: counts, commit behaviour, per-partition lag and stalls next to the fault', () => {
    const data = buildReportData(results, runDir);
    const c = scenario('consumers/');
    const section = data.scenarios[results.scenarios.indexOf(c)].consumer!;
    expect(section.mode).toBe('commit-after-processing');
    expect(section.counts).toEqual(c.consumer!.counts);
    expect(section.commitBehaviour).toBe(commitBehaviour('kafkajs', 'commit-after-processing'));
    // kafkajs stopped for good: 126 records never processed, the 3 failed commits among them.
    expect(section.commitsSeen![1] + section.commitsSeen![2]).toBe(c.consumer!.counts.commitsFailed);
    const progress = section.progress!;
    expect(progress.partitions.map((p) => p.partition)).toEqual(['0', '1', '2']);
    const waitingAtEnd = progress.partitions.reduce((n, p) => n + p.waiting[p.waiting.length - 1], 0);
    expect(waitingAtEnd).toBe(c.consumer!.counts.unconsumed);
    // No broker process fault: the longest stall drawn is the checker's, partition by partition.
    for (const p of progress.partitions) expect(p.longestStallMs).toBe(c.consumer!.stallMsByPartition[p.partition]);
    expect(progress.windows).toEqual([{ fromMs: c.faults[0].atMs, toMs: c.faults[0].healAtMs, label: `blackhole ${c.faults[0].target}` }]);
    expect(progress.marks[0][1]).toMatch(/^c1 assigned p0,p1,p2$/);
    expect(data.scenarios[results.scenarios.indexOf(c)].transactions).toBeUndefined();
  });

  it('draws the transaction section: each transaction with its outcome, the counts as the checker gave them', () => {
    const data = buildReportData(results, runDir);
    const t = scenario('transactions/');
    const section = data.scenarios[results.scenarios.indexOf(t)].transactions!;
    expect(section.timeline!.outcomes).toEqual({ committed: t.counts.txnCommitted, aborted: t.counts.txnAborted, failed: 0, unknown: t.counts.txnUnknown });
    expect(section.timeline!.spans).toHaveLength(20);
    expect(section.counts).toMatchObject({ committedLost: t.counts.committedLost, abortedRead: 0, duplicatesAcrossTransactions: 0, abortedWritten: t.counts.abortedWritten });
    expect(section.settings).toContain('transactionalId');
    expect(data.scenarios[results.scenarios.indexOf(t)].consumer).toBeUndefined();
  });
});

describe('report sections read results of other harness versions', () => {
  it('draws a consumer result with missing, unknown and new fields, and shows the new ones as JSON', () => {
    const old = scenarioResult({
      name: 'consumers/custom/x',
      client: 'custom',
      consumer: {
        group: 'g', settings: { mode: 'commit-per-lunch', rack: { az: 'b' } }, crash: { atMs: 1500, restartAfterMs: 500 },
        counts: { processedLost: 2, brandNewCount: 7 }, command: ['./my-consumer', '--fast'], members: 2,
      } as unknown as ScenarioResult['consumer'],
    });
    const section = consumerSection(old, null, [])!;
    expect(section.counts).toEqual({ processedLost: 2, brandNewCount: 7 });
    expect(section.stallMsByPartition).toEqual({});
    expect(section.expectations).toEqual([]);
    expect(section.crash).toBe('SIGKILL 1.5 s after it was ready; a new member joined the same group 0.5 s later');
    expect(section.commitBehaviour).toBe('processing mode "commit-per-lunch" (no description recorded in this report version). No measured note for client "custom".');
    expect(section.command).toBe('./my-consumer --fast');
    expect(section.settings).toEqual([['mode', 'commit-per-lunch'], ['rack', '{"az":"b"}']]);
    expect(section.other).toBe('{"members":2}');
    expect(section.progress).toBeNull();
    expect(section.offenders).toEqual([]);
  });

  it('lists the first offenders of each consumer anomaly, in words', () => {
    const withAnomalies = scenarioResult({
      consumer: {
        group: 'g', settings: { mode: 'commit-before-processing' },
        anomalies: {
          processedLost: [{ partition: 0, offset: 12, seq: 12 }], processedTwice: [],
          pollSkip: [{ consumer: 'c2', partition: 1, fromOffset: 5, toOffset: 9 }],
          unconsumed: Array.from({ length: 25 }, (_, i) => ({ partition: 2, offset: i, seq: null })),
          newKind: [{ what: 'x' }],
        },
      } as unknown as ScenarioResult['consumer'],
    });
    const offenders = consumerSection(withAnomalies, null, [])!.offenders;
    expect(offenders[0]).toEqual(['processedLost', 'p0@12 (seq 12)']);
    expect(offenders[1]).toEqual(['pollSkip', 'c2 p1 5→9']);
    expect(offenders[2][1]).toMatch(/^p2@0, p2@1, .*p2@19, and 5 more in results\.json$/);
    expect(offenders[3]).toEqual(['newKind', '{"what":"x"}']);
  });

  it('leaves the sections out of producer scenarios and shows unknown scenario fields', () => {
    const producer = scenarioResult();
    expect(consumerSection(producer, null, [])).toBeNull();
    expect(transactionSection(producer, null, [])).toBeNull();
    const copier = scenarioResult({ counts: counts({ txnCommitted: 3 }), ...({ copy: { exactlyOnce: true, missing: 0 } } as object) });
    expect(transactionSection(copier, null, [])).toEqual(expect.objectContaining({ timeline: null, counts: expect.objectContaining({ txnCommitted: 3 }) }));
    const data = buildReportData({ schemaVersion: 1, run: { id: 'r', startedAt: '', finishedAt: '', backend: 'local', kafkaVersion: '4.3.1', complete: true }, scenarios: [copier] }, '/nonexistent');
    expect(data.scenarios[0].other).toBe('{"copy":{"exactlyOnce":true,"missing":0}}');
  });

  it('ships a page script that parses', () => {
    expect(() => new Function(HTML_REPORT_SCRIPT)).not.toThrow();
  });
});

describe('report sections on hostile input (fuzzed)', () => {
  const anyJson = fc.anything({ maxDepth: 3, withObjectString: true, withNullPrototype: true });
  const op = fc.record({
    index: fc.nat(), timeMs: fc.oneof(fc.nat({ max: 100_000 }), fc.double()), process: fc.string(),
    type: fc.constantFrom('invoke', 'ok', 'fail', 'info', '<b>'),
    f: fc.constantFrom('send', 'start', 'crash', 'leave', 'assign', 'revoke', 'poll', 'process', 'commit', 'committed', 'txn-begin', 'txn-commit', 'txn-abort', 'inject', 'x'),
    value: fc.oneof(anyJson, fc.record({ txn: fc.oneof(fc.nat(5), anyJson), partition: fc.oneof(fc.nat(3), anyJson), offset: fc.oneof(fc.nat(9), fc.string()), consumer: fc.string(), partitions: anyJson, records: anyJson, offsets: anyJson, error: anyJson, why: anyJson })),
  });

  it('never throws on arbitrary results fields and history values, and never lets a string become markup', () => {
    fc.assert(fc.property(anyJson, fc.array(op, { maxLength: 40 }), fc.string(), (consumer, ops, name) => {
      const s = scenarioResult({ name, consumer: consumer as ScenarioResult['consumer'], config: { transactions: consumer } });
      const history = ops as unknown as HistoryOp[];
      const sections = [consumerSection(s, history, []), transactionSection(s, history, [{ fromMs: 0, toMs: 10, label: name }])];
      expect(jsonForScript(sections)).not.toMatch(/[<>]/);
    }), { numRuns: 150 });
  });

  it('renders a page whose markup holds no fuzzed consumer string raw', () => {
    fc.assert(fc.property(anyJson, fc.string().map((x) => `<i>${x}`), (consumer, text) => {
      const s = scenarioResult({ name: text, client: text, consumer: { group: text, settings: { mode: text }, counts: { [text]: 1 }, extra: consumer } as unknown as ScenarioResult['consumer'] });
      const page = renderHtmlReport({ schemaVersion: 1, run: { id: text, startedAt: '', finishedAt: '', backend: 'local', kafkaVersion: '4.3.1', complete: true }, scenarios: [s] }, '/nonexistent');
      expect(page).not.toContain('<i>');
      expect(page.match(/<script\b/g)).toHaveLength(3);
    }), { numRuns: 10 });
  });
});
