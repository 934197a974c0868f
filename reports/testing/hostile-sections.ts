import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryOp } from '../../harness/history/history-types';
import type { ScenarioResult } from '../results-types';
import { counts, scenarioResult } from './results-builder';

/** Markup every string of the consumer and transaction sections carries in the hostile scenario. */
export const HOSTILE = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';

/**
 * A consumer-and-transaction scenario whose every user string (group, settings, command, client,
 * consumer and producer process names, commit and transaction errors, new fields) is markup,
 * written with its history into `runDir`: the report must show all of it as text.
 */
export function writeHostileSectionScenario(runDir: string): ScenarioResult {
  const consumer = `c1${HOSTILE}`;
  const producer = `p1${HOSTILE}`;
  const ops: Array<Omit<HistoryOp, 'index'>> = [
    { timeMs: 10, process: 'p1', type: 'ok', f: 'send', value: { seq: 0, partition: 0, offset: 0 } },
    { timeMs: 10, process: 'p1', type: 'ok', f: 'send', value: { seq: 1, partition: 0, offset: 1 } },
    { timeMs: 100, process: consumer, type: 'info', f: 'start', value: { consumer, assignment: 0 } },
    { timeMs: 200, process: consumer, type: 'info', f: 'assign', value: { consumer, assignment: 1, partitions: [0], generation: null } },
    { timeMs: 300, process: consumer, type: 'ok', f: 'process', value: { consumer, assignment: 1, partition: 0, offset: 0, seq: 0 } },
    { timeMs: 400, process: consumer, type: 'fail', f: 'commit', value: { consumer, assignment: 1, id: 0, auto: false, offsets: [{ partition: 0, offset: 1 }], error: HOSTILE } },
    { timeMs: 2600, process: consumer, type: 'ok', f: 'process', value: { consumer, assignment: 1, partition: 0, offset: 1, seq: 1 } },
    { timeMs: 2700, process: consumer, type: 'info', f: 'crash', value: { consumer, assignment: 1, signal: HOSTILE } },
    { timeMs: 3000, process: producer, type: 'invoke', f: 'txn-begin', value: { txn: 0 } },
    { timeMs: 3010, process: producer, type: 'invoke', f: 'send', value: { seq: 5, key: 'tx0:5', partition: 1, attempt: 1, txn: 0 } },
    { timeMs: 3020, process: producer, type: 'fail', f: 'send', value: { seq: 5, attempt: 1, txn: 0, partition: 1, error: HOSTILE } },
    { timeMs: 3030, process: producer, type: 'invoke', f: 'txn-abort', value: { txn: 0, seqs: [5], why: HOSTILE } },
    { timeMs: 3040, process: producer, type: 'info', f: 'txn-abort', value: { txn: 0, error: HOSTILE } },
    { timeMs: 3100, process: 'p2', type: 'invoke', f: 'txn-begin', value: { txn: 0 } },
    { timeMs: 3200, process: 'p2', type: 'invoke', f: 'txn-commit', value: { txn: 0, seqs: [] } },
    { timeMs: 3300, process: 'p2', type: 'ok', f: 'txn-commit', value: { txn: 0 } },
  ];
  const dir = join(runDir, 'scenarios', 'hostile-sections');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'history.jsonl'), `${ops.map((op, index) => JSON.stringify({ index, ...op })).join('\n')}\n`);
  writeFileSync(join(dir, 'observed.jsonl'), '');
  return scenarioResult({
    name: `consumers/${HOSTILE}`,
    client: HOSTILE,
    mode: HOSTILE,
    faults: [{ kind: 'blackhole', target: HOSTILE, atMs: 500, healAtMs: 2000 }],
    config: { transactions: { transactionalId: HOSTILE } },
    counts: counts({ txnCommitted: 1, txnAborted: 1 }),
    artifacts: { history: 'scenarios/hostile-sections/history.jsonl', observed: 'scenarios/hostile-sections/observed.jsonl' },
    consumer: {
      group: HOSTILE,
      settings: { mode: HOSTILE, api: HOSTILE, [HOSTILE]: HOSTILE },
      crash: { atMs: 1000, restartAfterMs: 500, from: HOSTILE },
      command: [HOSTILE],
      deadlineMs: 1000,
      counts: { processedLost: 0, [HOSTILE]: 3 },
      stallMsByPartition: { 0: 2300 },
      committed: { 0: 0 },
      anomalies: {},
      expectations: [{ count: HOSTILE, op: 'eq', value: 0, actual: 3, pass: false }],
      [HOSTILE]: HOSTILE,
    } as unknown as ScenarioResult['consumer'],
    ...({ [HOSTILE]: HOSTILE } as object),
  });
}
