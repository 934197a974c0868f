import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryOp } from '../../harness/history/history-types';
import type { RunResults } from '../results-types';
import { anomalies, counts, expectation, runResults, scenarioResult } from './results-builder';

/** The markup a scenario name must show as text, never as an element. */
export const XSS_NAME = '<img src=x onerror=alert(1)>';

/**
 * A small run folder on disk for report tests: a failing scenario named XSS_NAME whose seq 1 is
 * lostAcked and seq 2 failed-yet-delivered twice, with its history.jsonl and observed.jsonl; a
 * second client's scenario with a missing history (the report must say so).
 */
export function writeRunFolder(runDir: string): RunResults {
  const ops: Array<Omit<HistoryOp, 'index'>> = [];
  let t = 0;
  for (let seq = 0; seq < 6; seq++) {
    ops.push({ timeMs: (t += 100), process: 'p1', type: 'invoke', f: 'send', value: { seq, key: null, partition: null } });
    if (seq === 3) ops.push({ timeMs: (t += 10), process: 'nemesis', type: 'info', f: 'inject', value: { fault: 'blackhole', target: 'k1' } });
    if (seq === 2) ops.push({ timeMs: (t += 30_000), process: 'p1', type: 'fail', f: 'send', value: { seq, partition: 0, error: 'KafkaJSRequestTimeoutError: Request Produce(key: 0, version: 7) timed out <b>', leader: 1 } });
    else ops.push({ timeMs: (t += 5), process: 'p1', type: 'ok', f: 'send', value: { seq, partition: seq % 3, offset: Math.floor(seq / 3) } });
  }
  ops.push({ timeMs: (t += 10), process: 'nemesis', type: 'info', f: 'heal', value: { fault: 'blackhole', target: 'k1' } });
  const history = ops.map((op, index) => JSON.stringify({ index, ...op })).join('\n');
  const observed = [
    { partition: 0, offset: 0, seq: 0, key: null }, { partition: 0, offset: 1, seq: 2, key: null }, { partition: 0, offset: 2, seq: 2, key: null },
    { partition: 2, offset: 0, seq: 5, key: null }, { partition: 1, offset: 1, seq: 4, key: null }, { partition: 0, offset: 3, seq: 3, key: null },
  ].map((r) => JSON.stringify(r)).join('\n');
  const scenarioDir = join(runDir, 'scenarios', 'xss');
  mkdirSync(scenarioDir, { recursive: true });
  writeFileSync(join(scenarioDir, 'history.jsonl'), `${history}\n`);
  writeFileSync(join(scenarioDir, 'observed.jsonl'), `${observed}\n`);

  const timeline = [];
  for (let second = 0; second < 12; second++) {
    for (const partition of ['0', '1', '2']) {
      const cut = partition === '0' && second >= 2 && second < 6;
      timeline.push({ second, partition, sends: 10, acks: cut ? 0 : 10, errors: cut && second === 5 ? 4 : 0 });
    }
  }
  const xss = scenarioResult({
    name: XSS_NAME,
    description: 'a description with <script>alert(2)</script>',
    faults: [{ kind: 'blackhole', target: 'k1', atMs: 2000, healAtMs: 6000 }, { kind: 'refuse', target: 'k2', atMs: 8000, healAtMs: null, note: '<i>x</i>' }],
    config: { acks: 'all', idempotent: false, clientId: '</script><script>alert(3)</script>' },
    counts: counts({ attempted: 6, acked: 5, failed: 1, observed: 5, lostAcked: 1, undelivered: 1, deliveredDespiteError: 1, duplicates: 1 }),
    expectations: [expectation('lostAcked', 'eq', 0, 1), expectation('undelivered', 'eq', 0, 1), expectation('reordered', 'eq', 0, 0)],
    verdict: 'fail',
    timeline,
    anomalies: anomalies({ lostAcked: [1], undelivered: [1], duplicates: [2], deliveredDespiteError: [2] }),
    timeToFirstAckAfterHealMs: [120, null],
    artifacts: { history: 'scenarios/xss/history.jsonl', observed: 'scenarios/xss/observed.jsonl' },
  });
  const other = scenarioResult({
    name: 'seed/java/manual/resilient/kill-k2',
    client: 'java',
    strategy: 'manual',
    mode: 'resilient',
    faults: [{ kind: 'kill', target: 'k2', atMs: 1000, healAtMs: 3000 }],
    counts: counts({ undelivered: 2, observed: 98 }),
    anomalies: anomalies({ undelivered: [40, 41] }),
    verdict: 'unknown',
    error: 'checker threw <TypeError>',
    timeline: [{ second: 0, partition: '?', sends: 3, acks: 0, errors: 3 }, { second: 1, partition: '1', sends: 5, acks: 5, errors: 0 }],
    artifacts: { history: 'scenarios/missing/history.jsonl', observed: 'scenarios/missing/observed.jsonl' },
  });
  return runResults([xss, other], { complete: false, suite: 'seed' });
}
