import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { runScenarios } from '../harness/run-suite';
import { shardOfPlan } from '../harness/shard/shard-option';
import { mergeCommand } from '../reports/merge-command';
import { createReporters } from '../reports/registry';
import type { RunResults } from '../reports/results-types';
import { defineScenario } from '../scenarios/define-scenario';
import { recheckedPart, recheckFromDisk } from './offline-recheck';
import { attachSharedCluster, sharedClusterInfo } from './shared-cluster';

// `kchaos run --shard i/n` on two "machines" (two runs on the shared cluster, each its own run
// folder) and `kchaos merge` of their folders: one run in plan order whose histories the merged
// folder holds. The scenarios run at full speed (ratePerSec null), so they also check that the
// full-speed profiles give every message the client's own outcome.
const PLAN = [
  defineScenario({ name: 'int-shard/node-rdkafka/full-speed', client: 'node-rdkafka', workload: { messages: 2_000, ratePerSec: null }, settleMs: 0, expect: { lostAcked: 0, undelivered: 0, duplicates: 0 } }),
  defineScenario({ name: 'int-shard/kafkajs/full-speed', client: 'kafkajs', workload: { messages: 1_000, ratePerSec: null }, settleMs: 0, expect: { lostAcked: 0, undelivered: 0, duplicates: 0 } }),
  defineScenario({ name: 'int-shard/node-rdkafka/refuse-k2', client: 'node-rdkafka', faults: [{ kind: 'refuse', target: 'k2', atMs: 200, healAtMs: 1_500 }], workload: { messages: 300, ratePerSec: 150 }, expect: { lostAcked: 0 } }),
];

let cluster: StartedCluster;
let root: string;
beforeAll(async () => {
  cluster = await attachSharedCluster();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-shards-'));
});
afterAll(async () => {
  await cluster?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('two shards of a suite on the real cluster, merged: one results.json, junit.xml and report.html in plan order, histories reachable', async () => {
  const shardScenarios: string[][] = [];
  for (const index of [1, 2]) {
    // The same order the CLI takes: resolved plan → this machine's share → the reporters that record it.
    const { scenarios, wrapReporters } = shardOfPlan([...PLAN].reverse(), `${index}/2`, () => {});
    shardScenarios.push(scenarios.map((s) => s.name));
    const outcome = await runScenarios(scenarios, { cluster, outDir: path.join(root, `shard-${index}`), reporters: wrapReporters(createReporters(['json'])), suite: 'int-shard' });
    expect(outcome.results.run.shard).toMatchObject({ index, total: 2, planScenarios: 3 });
  }
  // Sorted by name, cut 1 + 2: every scenario on exactly one machine.
  expect(shardScenarios).toEqual([['int-shard/kafkajs/full-speed'], ['int-shard/node-rdkafka/full-speed', 'int-shard/node-rdkafka/refuse-k2']]);

  const lines: string[] = [];
  const code = await mergeCommand([path.join(root, 'shard-2', 'latest'), path.join(root, 'shard-1', 'latest'), '--out', path.join(root, 'merged')], (l) => lines.push(l), ['json', 'junit', 'html']);
  const mergedDir = fs.realpathSync(path.join(root, 'merged', 'latest'));
  const merged = JSON.parse(fs.readFileSync(path.join(mergedDir, 'results.json'), 'utf8')) as RunResults;
  expect({ code, lines: lines.filter((l) => !l.startsWith('merge: 3 scenario(s)')) }).toEqual({ code: 0, lines: [] });
  expect(merged.scenarios.map((s) => [s.name, s.verdict])).toEqual(shardScenarios.flat().map((name) => [name, 'pass']));
  expect(merged.run).toMatchObject({ kafkaVersion: sharedClusterInfo().kafkaVersion, suite: 'int-shard', complete: true });
  expect(merged.run.mergedFrom!.map((m) => [m.shard!.index, m.scenarios])).toEqual([[1, 1], [2, 2]]);

  // Full speed: every message attempted got the client's own ok, none dropped by a harness timer.
  for (const s of merged.scenarios.filter((r) => r.name.endsWith('full-speed'))) {
    expect({ name: s.name, attempted: s.counts.attempted, acked: s.counts.acked, indeterminate: s.counts.indeterminate, missing: s.clientOutcomesMissing }).toEqual({ name: s.name, attempted: s.config.workload ? (s.config.workload as { messages: number }).messages : -1, acked: s.counts.attempted, indeterminate: 0, missing: 0 });
  }
  expect(merged.scenarios.find((s) => s.name === 'int-shard/node-rdkafka/full-speed')!.config).toMatchObject({ lingerMs: 5, workload: { concurrency: 100_000 } });
  expect(merged.scenarios.find((s) => s.name === 'int-shard/kafkajs/full-speed')!.config.messagesPerSend).toBeGreaterThan(1);

  // The merged folder holds every history: re-checked offline from it, each gives what its shard reported.
  for (const s of merged.scenarios) {
    const spec = PLAN.find((p) => p.name === s.name)!.expect;
    expect({ name: s.name, ...(await recheckFromDisk(mergedDir, s, spec)) }).toEqual({ name: s.name, ...recheckedPart(s) });
  }
  expect((fs.readFileSync(path.join(mergedDir, 'junit.xml'), 'utf8').match(/<testcase /g) ?? []).length).toBe(3);
  const page = fs.readFileSync(path.join(mergedDir, 'report.html'), 'utf8');
  for (const s of PLAN) expect(page).toContain(s.name);
}, 300_000);
