import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../harness/checker/checker';
import type { HistoryOp, ObservedRecord } from '../../harness/history/history-types';
import type { RunResults, ScenarioResult } from '../results-types';
import { runResults, scenarioResult } from './results-builder';

const CLIENTS = ['kafkajs', 'node-rdkafka', 'java'];
const STRATEGIES = ['round-robin', 'hashing', 'manual'];
const MODES = ['library-only', 'workaround', 'resilient'];
const ERROR = 'KafkaJSNumberOfRetriesExceeded: Request Produce(key: 0, version: 7) timed out (cause: KafkaJSRequestTimeoutError: Request Produce(key: 0, version: 7) timed out)';

/**
 * A run folder shaped like the seed's, for the report's size test: each scenario sends
 * `messages` at 150/s with the client choosing the partition, k1 (partition 0) blackholed from
 * the start, so its sends end `info` and are lost (a third, the seed's heavy case); counts and
 * anomalies come from the real checker. A size measure, not a verdict on any client.
 */
export function writeSyntheticRun(runDir: string, scenarios: number, messages = 300): RunResults {
  const results: ScenarioResult[] = [];
  for (let i = 0; i < scenarios; i++) {
    const client = CLIENTS[i % CLIENTS.length];
    const strategy = STRATEGIES[Math.floor(i / CLIENTS.length) % STRATEGIES.length];
    const mode = MODES[Math.floor(i / 9) % MODES.length];
    const name = `synthetic/${client}/${strategy}/${mode}/blackhole-k1-${i}`;
    const slug = name.replace(/\//g, '__');
    const ops: HistoryOp[] = [];
    const observed: ObservedRecord[] = [];
    const push = (op: Omit<HistoryOp, 'index'>) => ops.push({ index: ops.length, ...op });
    push({ timeMs: 5, process: 'nemesis', type: 'info', f: 'inject', value: { fault: 'blackhole', target: 'k1', broker: 'k1', link: 'client', direction: 'both', partitions: [0] } });
    const offsets = [0, 0, 0];
    for (let seq = 0; seq < messages; seq++) {
      const t = 1500 + Math.round((seq * 1000) / 150);
      const partition = seq % 3;
      push({ timeMs: t, process: 'p1', type: 'invoke', f: 'send', value: { seq, key: null, partition: null, attempt: 1 } });
      if (partition === 0) {
        push({ timeMs: t + 30_000, process: 'p1', type: 'info', f: 'send', value: { seq, attempt: 1, partition: 0, error: ERROR, leader: 1 } });
      } else {
        push({ timeMs: t + 4, process: 'p1', type: 'ok', f: 'send', value: { seq, partition, offset: offsets[partition], attempt: 1 } });
        observed.push({ partition, offset: offsets[partition]++, seq, key: null });
      }
    }
    const end = ops[ops.length - 1].timeMs;
    push({ timeMs: end + 10, process: 'nemesis', type: 'info', f: 'heal', value: { fault: 'blackhole', target: 'k1' } });
    ops.sort((a, b) => a.timeMs - b.timeMs || a.index - b.index).forEach((op, index) => { op.index = index; });
    const dir = join(runDir, 'scenarios', slug);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'history.jsonl'), ops.map((op) => `${JSON.stringify(op)}\n`).join(''));
    writeFileSync(join(dir, 'observed.jsonl'), observed.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const checked = check(ops, observed);
    results.push(scenarioResult({
      name, client, strategy, mode,
      faults: [{ kind: 'blackhole', target: 'k1', atMs: 5, healAtMs: end + 10, link: 'client', direction: 'both' }],
      counts: checked.counts, latencyMs: checked.latencyMs, anomalies: checked.anomalies, verdict: checked.verdict,
      timeToFirstAckAfterHealMs: checked.timeToFirstAckAfterHealMs, durationMs: end + 1000,
      artifacts: { history: `scenarios/${slug}/history.jsonl`, observed: `scenarios/${slug}/observed.jsonl` },
    }));
  }
  return runResults(results, { suite: 'synthetic' });
}
