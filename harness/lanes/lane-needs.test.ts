import { defineScenario } from '../../scenarios/define-scenario';
import type { ScenarioInput } from '../../scenarios/scenario';
import { conflictKey, laneNeed } from './lane-needs';

const need = (input: Partial<ScenarioInput>) => laneNeed(defineScenario({ name: 'x/y', client: 'kafkajs', ...input }));

test.each<[string, Partial<ScenarioInput>]>([
  ['no fault', {}],
  ['a blackhole on k1\'s client link', { faults: [{ kind: 'blackhole', target: 'k1' }] }],
  ['refuse on the leader of partition 0, mid-run', { faults: [{ kind: 'refuse', target: 'leaderOf(0)', atMs: 1_000 }] }],
  ['a packet partition of k1 (the lane\'s proxy port only)', { faults: [{ kind: 'partition', target: 'k1' }] }],
  ['latency and ack-loss together', { faults: [{ kind: 'latency', target: 'k2' }, { kind: 'ack-loss', target: 'k1', atMs: 500, healAtMs: 900 }] }],
])('%s: runs in a lane', (_, input) => {
  expect(need(input)).toEqual({ kind: 'lane' });
});

test.each<[string, Partial<ScenarioInput>, RegExp]>([
  ['a broker killed', { faults: [{ kind: 'kill', target: 'k1' }] }, /process fault kill on k1/],
  ['a broker paused beside a link fault', { faults: [{ kind: 'latency', target: 'k2' }, { kind: 'pause', target: 'k3' }] }, /process fault pause on k3/],
  ['a replication link refused', { faults: [{ kind: 'refuse', target: 'leaderOf(0)', link: 'replication' }] }, /replication link/],
  ['min.insync.replicas 1', { config: { minInsyncReplicas: 1 } }, /min.insync.replicas=1/],
  ['unclean leader election', { config: { uncleanLeaderElection: true } }, /unclean/],
])('%s: takes the whole cluster', (_, input, reason) => {
  const got = need(input);
  expect(got.kind).toBe('exclusive');
  expect(got.kind === 'exclusive' && got.reason).toMatch(reason);
});

test('conflict key: the scenario folder, so a name given twice never runs beside itself', () => {
  const a = defineScenario({ name: 'seed/kafkajs/x', client: 'kafkajs' });
  expect(conflictKey(a)).toBe(conflictKey({ ...a }));
  expect(conflictKey(a)).not.toBe(conflictKey({ ...a, name: 'seed/kafkajs/x#2' }));
});
