import type { StartedCluster } from '../cluster/started-cluster';
import type { ScenarioResult } from '../../reports/results-types';
import { defineScenario } from '../../scenarios/define-scenario';
import type { ScenarioInput } from '../../scenarios/scenario';
import { runInLanes } from './run-in-lanes';

// The executor's bookkeeping with a stand-in for runScenario (no broker: what the lanes do on a
// real cluster is test/lanes.int.test.ts).
const proxy = (name: string) => ({ name, listen: '', upstream: '' });
const cluster = {
  backend: 'local', directBootstrap: 'd:1', proxiedBootstrap: 'p:1',
  brokers: [{ id: 1, name: 'k1', direct: 'd:1', proxied: 'p:1', proxy: proxy('k1') }],
  lanes: [1, 2, 3].map((index) => ({ index, brokers: [{ id: 1, proxied: `p:${index}`, proxy: proxy(index === 1 ? 'k1' : `k1-lane${index}`) }] })),
} as unknown as StartedCluster;

const scenario = (name: string, extra: Partial<ScenarioInput> = {}) => defineScenario({ name, client: 'kafkajs', ...extra });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('results come back in plan order; at most `lanes` at once, each through its own lane; a kill scenario alone on the whole cluster', async () => {
  const plan = [scenario('a'), scenario('kill', { faults: [{ kind: 'kill', target: 'k1' }] }), scenario('b'), scenario('c'), scenario('d')];
  const delays: Record<string, number> = { a: 60, kill: 5, b: 5, c: 30, d: 5 };
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const seen: Array<{ name: string; bootstrap: string; alone: boolean }> = [];
  const results = await runInLanes(plan, {
    cluster, lanes: 2, runDir: '/tmp',
    reporters: { onScenarioStart: (i, total, name) => events.push(`start ${i}/${total} ${name}`), onScenarioPhase: () => {}, onScenarioEnd: (r, i) => events.push(`end ${i} ${r.name}`) },
    onResult: () => {},
    run: async (s, options) => {
      running++;
      most = Math.max(most, running);
      seen.push({ name: s.name, bootstrap: options.cluster.proxiedBootstrap, alone: running === 1 });
      await sleep(delays[s.name]);
      running--;
      return { name: s.name } as ScenarioResult;
    },
  });
  expect(results.map((r) => r.name)).toEqual(['a', 'kill', 'b', 'c', 'd']);
  expect(most).toBe(2);
  expect(seen.find((s) => s.name === 'kill')).toEqual({ name: 'kill', bootstrap: 'p:1', alone: true });
  expect(seen.filter((s) => s.name !== 'kill').every((s) => ['p:1', 'p:2'].includes(s.bootstrap))).toBe(true);
  expect(events.at(-1)).toBe('end 2 kill'); // whole-cluster scenarios go last, once the lanes are empty
  expect(events).toContain('start 2/5 kill');
});

test('a run that throws stops new starts, lets the running ones end, then throws', async () => {
  const plan = [scenario('a'), scenario('b'), scenario('c')];
  const ran: string[] = [];
  await expect(runInLanes(plan, {
    cluster, lanes: 2, runDir: '/tmp', reporters: { onScenarioStart: () => {}, onScenarioPhase: () => {}, onScenarioEnd: () => {} }, onResult: () => {},
    run: async (s) => {
      ran.push(s.name);
      if (s.name === 'a') throw new Error('broken');
      await sleep(20);
      return { name: s.name } as ScenarioResult;
    },
  })).rejects.toThrow('broken');
  expect(ran).toEqual(['a', 'b']);
});

test('with one sending slot, the next scenario starts when the running one waits on its client, in a lane of its own', async () => {
  const plan = [scenario('a'), scenario('b'), scenario('c')];
  const started: Array<{ name: string; atMs: number; bootstrap: string }> = [];
  const t0 = Date.now();
  await runInLanes(plan, {
    cluster, lanes: 3, sending: 1, runDir: '/tmp', reporters: { onScenarioStart: () => {}, onScenarioPhase: () => {}, onScenarioEnd: () => {} }, onResult: () => {},
    run: async (s, options) => {
      started.push({ name: s.name, atMs: Date.now() - t0, bootstrap: options.cluster.proxiedBootstrap });
      await sleep(30); // sending
      options.onWaiting?.();
      await sleep(200); // waiting on the client's timeouts
      return { name: s.name } as ScenarioResult;
    },
  });
  expect(started.map((s) => s.name)).toEqual(['a', 'b', 'c']);
  expect(started[1].atMs).toBeGreaterThanOrEqual(25); // not before a waits
  expect(started[2].atMs).toBeLessThan(200); // long before a ends: the lanes overlap
  expect(new Set(started.map((s) => s.bootstrap)).size).toBe(3);
});
