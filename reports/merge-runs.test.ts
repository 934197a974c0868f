import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planDigest, selectShard, type ShardInfo } from '../harness/shard/shard-plan';
import { mergeCommand } from './merge-command';
import { mergeRuns, type MergeInput } from './merge-runs';
import type { RunResults } from './results-types';
import { runResults, scenarioResult } from './testing/results-builder';

/** The file reporters only: the console's table would clutter the test output. */
const FILES = ['json', 'junit', 'html'] as const;
const PLAN = ['s/a', 's/b', 's/c'].map((name) => ({ name }));
const shardInfo = (index: number, total = 2): ShardInfo => selectShard(PLAN, { index, total }).info;
const artifactsOf = (name: string) => ({ history: `scenarios/${name.replace('/', '__')}/history.jsonl`, observed: `scenarios/${name.replace('/', '__')}/observed.jsonl` });

/** The results of shard `index` of `total` over PLAN, as kchaos run --shard would write them. */
function shardRun(index: number, total = 2, run: Partial<RunResults['run']> = {}, verdict: 'pass' | 'fail' = 'pass'): MergeInput {
  const { scenarios } = selectShard(PLAN, { index, total });
  return {
    dir: `/ci/shard-${index}`,
    results: runResults(scenarios.map((s) => scenarioResult({ name: s.name, verdict, artifacts: artifactsOf(s.name) })), {
      id: `run-${index}`, suite: 's/', repeat: 1, startedAt: `2026-01-01T00:0${index}:00.000Z`, finishedAt: `2026-01-01T00:0${index}:30.000Z`, shard: shardInfo(index, total), ...run,
    }),
  };
}

describe('mergeRuns', () => {
  test('shards in any order → one run in plan order, the shards named, artifacts to copy at their relative paths', () => {
    const { results, copies, warnings } = mergeRuns([shardRun(2), shardRun(1)], 'merged-x');
    expect(results.scenarios.map((s) => s.name)).toEqual(['s/a', 's/b', 's/c']);
    expect(results.run).toMatchObject({ id: 'merged-x', kafkaVersion: '3.9.0', suite: 's/', complete: true, startedAt: '2026-01-01T00:01:00.000Z', finishedAt: '2026-01-01T00:02:30.000Z' });
    expect(results.run.mergedFrom!.map((m) => [m.id, m.shard!.index, m.scenarios])).toEqual([['run-1', 1, 1], ['run-2', 2, 2]]);
    expect(warnings).toEqual([]);
    expect(copies).toContainEqual({ from: path.resolve('/ci/shard-2', 'scenarios/s__c/history.jsonl'), to: 'scenarios/s__c/history.jsonl' });
    expect(copies).toHaveLength(6);
  });

  test('a missing shard is named and the merged run is incomplete; an interrupted shard too', () => {
    const missing = mergeRuns([shardRun(1, 3), shardRun(3, 3)], 'm');
    expect(missing.warnings).toEqual(['shard 2/3 not given: the merged run is incomplete']);
    expect(missing.results.run.complete).toBe(false);
    const interrupted = mergeRuns([shardRun(1), shardRun(2, 2, { complete: false })], 'm');
    expect(interrupted.warnings).toEqual(['/ci/shard-2 was interrupted before all its scenarios ran: the merged run is incomplete']);
    expect(interrupted.results.run.complete).toBe(false);
  });

  test.each([
    ['Kafka versions', [shardRun(1), shardRun(2, 2, { kafkaVersion: '4.0.0' })], /different Kafka versions \(\/ci\/shard-1: "3.9.0", \/ci\/shard-2: "4.0.0"\)[\s\S]*fix: merge the run folders of ONE sharded run/],
    ['suites', [shardRun(1), shardRun(2, 2, { suite: 'seed' })], /different suites/],
    ['--repeat', [shardRun(1), shardRun(2, 2, { repeat: 3 })], /different --repeat/],
    ['shard counts', [shardRun(1), shardRun(2, 3)], /different shard counts/],
    ['plans', [shardRun(1), shardRun(2, 2, { shard: { ...shardInfo(2), planDigest: planDigest([{ name: 'other' }]) } })], /different scenario plans/],
    ['a shard twice', [shardRun(1), { ...shardRun(1), dir: '/ci/again' }], /shard 1\/2 is given twice \(\/ci\/shard-1 and \/ci\/again\)/],
    ['sharded with unsharded', [shardRun(1), shardRun(2, 2, { shard: undefined })], /cannot merge sharded with unsharded runs \(\/ci\/shard-2/],
  ])('refuses different %s with one error naming the folders and the fix', (_what, inputs, message) => {
    expect(() => mergeRuns(inputs as MergeInput[], 'm')).toThrow(message);
  });

  test('unsharded runs merge too, but one scenario in two of them is refused', () => {
    const a = { dir: '/r/a', results: runResults([scenarioResult({ name: 'x', artifacts: artifactsOf('x') })], { suite: 'x' }) };
    const b = { dir: '/r/b', results: runResults([scenarioResult({ name: 'y', artifacts: artifactsOf('y') })], { suite: 'x' }) };
    expect(mergeRuns([a, b], 'm').results.scenarios.map((s) => s.name)).toEqual(['x', 'y']);
    expect(() => mergeRuns([a, { ...a, dir: '/r/c' }], 'm')).toThrow(/scenario "x" is in both \/r\/a and \/r\/c/);
  });

  test('an artifact path outside its run folder is refused (merge copies files)', () => {
    const bad = { dir: '/r/a', results: runResults([scenarioResult({ name: 'x', artifacts: { history: '../../etc/passwd', observed: 'scenarios/x/observed.jsonl' } })]) };
    expect(() => mergeRuns([bad], 'm')).toThrow(/names an artifact outside its run folder \(\.\.\/\.\.\/etc\/passwd\)/);
  });

  test('repeats: the repeat summary is recomputed over every shard', () => {
    const withRepeats = (index: number): MergeInput => {
      const { scenarios } = selectShard(PLAN, { index, total: 2 });
      const runs = scenarios.flatMap((s) => [s.name, `${s.name}#2`]);
      return { dir: `/ci/${index}`, results: runResults(runs.map((name) => scenarioResult({ name, artifacts: artifactsOf(name) })), { repeat: 2, shard: shardInfo(index) }) };
    };
    const { results } = mergeRuns([withRepeats(1), withRepeats(2)], 'm');
    expect(results.repeatSummary!.map((r) => [r.name, r.runs])).toEqual([['s/a', 2], ['s/b', 2], ['s/c', 2]]);
  });
});

describe('kchaos merge (files)', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-merge-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A shard's run folder on disk: results.json and each scenario's history and observed records. */
  function writeShard(index: number, verdict: 'pass' | 'fail' = 'pass', run: Partial<RunResults['run']> = {}): string {
    const input = shardRun(index, 2, run, verdict);
    const dir = path.join(root, `shard-${index}`);
    for (const s of input.results.scenarios) {
      fs.mkdirSync(path.join(dir, path.dirname(s.artifacts.history)), { recursive: true });
      fs.writeFileSync(path.join(dir, s.artifacts.history), `${JSON.stringify({ index: 0, timeMs: 1, process: 'p1', type: 'invoke', f: 'send', value: { seq: 0, key: null, partition: null, shard: index } })}\n`);
      fs.writeFileSync(path.join(dir, s.artifacts.observed), '');
    }
    fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(input.results));
    return dir;
  }

  test('writes results.json, junit.xml and report.html over both shards, with the histories copied in; exit 0', async () => {
    const lines: string[] = [];
    const code = await mergeCommand([writeShard(1), path.join(writeShard(2), 'results.json'), '--out', path.join(root, 'out')], (l) => lines.push(l), FILES);
    expect(code).toBe(0);
    const merged = fs.realpathSync(path.join(root, 'out', 'latest'));
    const results = JSON.parse(fs.readFileSync(path.join(merged, 'results.json'), 'utf8')) as RunResults;
    expect(results.scenarios.map((s) => s.name)).toEqual(['s/a', 's/b', 's/c']);
    expect(fs.readFileSync(path.join(merged, 'scenarios/s__c/history.jsonl'), 'utf8')).toContain('"shard":2');
    expect((fs.readFileSync(path.join(merged, 'junit.xml'), 'utf8').match(/<testcase /g) ?? []).length).toBe(3);
    expect(fs.readFileSync(path.join(merged, 'report.html'), 'utf8')).toContain('s/c');
    expect(lines.at(-1)).toMatch(/^merge: 3 scenario\(s\) from 2 run folder\(s\) written to /);
  });

  test('a failed scenario or a missing shard: exit 1; mismatched shards: exit-2 error and no folder', async () => {
    const log = () => {};
    expect(await mergeCommand([writeShard(1), writeShard(2, 'fail'), '--out', path.join(root, 'o1')], log, FILES)).toBe(1);
    expect(await mergeCommand([writeShard(1), '--out', path.join(root, 'o2')], log, FILES)).toBe(1);
    await expect(mergeCommand([writeShard(1), writeShard(2, 'pass', { kafkaVersion: '9.9.9' }), '--out', path.join(root, 'o3')], log, FILES)).rejects.toThrow(/different Kafka versions/);
    expect(fs.existsSync(path.join(root, 'o3'))).toBe(false);
    await expect(mergeCommand([path.join(root, 'nowhere')], log, FILES)).rejects.toThrow(/nowhere has no results.json[\s\S]*fix: pass run folders written by kchaos run/);
    await expect(mergeCommand(['--out', 'x'], log, FILES)).rejects.toThrow(/needs the run folders to merge/);
  });
});
