import { defineScenario } from './define-scenario';
import { MID_RUN_FAULT_AT_MS, seedCases, seedFullCases, seedScenario } from './seed.suite';
import { SUITES } from './suites';
import { CLIENT_NAMES } from './scenario';
import { isResilientClient } from '../harness/resilient/resilient-options';

const clients = CLIENT_NAMES.length;
const resilientClients = CLIENT_NAMES.filter(isResilientClient).length;

const minimal = { name: 'team/k1-down', client: 'kafkajs' as const };

test('applies every default to a minimal scenario', () => {
  const s = defineScenario(minimal);
  expect(s).toMatchObject({ strategy: 'round-robin', mode: 'library-only', faults: [], settleMs: 1000, expect: {} });
  expect(s.config).toMatchObject({ acks: 'all', idempotent: false, minInsyncReplicas: 2, uncleanLeaderElection: false });
  expect(s.workload.messages).toBe(300);
});

test('fault defaults: from the start, healed at the end', () => {
  const s = defineScenario({ ...minimal, faults: [{ kind: 'blackhole', target: 'leaderOf(0)' }] });
  expect(s.faults).toHaveLength(1);
  expect(s.faults[0]).toMatchObject({ kind: 'blackhole', target: 'leaderOf(0)', atMs: 0, healAtMs: null });
});

test.each([
  [{ ...minimal, clinet: 'kafkajs' }, /scenario "team\/k1-down"\.clinet: unknown field/],
  [{ ...minimal, client: 'franz-go' }, /\.client: "franz-go" is not allowed[\s\S]*kafkajs, node-rdkafka/],
  [{ ...minimal, strategy: 'sticky' }, /\.strategy: "sticky" is not allowed/],
  [{ ...minimal, faults: [{ kind: 'blackhole', target: 'broker1' }] }, /\.faults\[0\]\.target: "broker1" is not a target[\s\S]*leaderOf\(0\)/],
  [{ ...minimal, faults: [{ kind: 'explode', target: 'k1' }] }, /\.faults\[0\]\.kind: "explode" is not allowed/],
  [{ ...minimal, faults: [{ kind: 'refuse', target: 'k1', atMs: 5000, healAtMs: 1000 }] }, /healAtMs: 1000 is not after atMs 5000/],
  [{ ...minimal, config: { acks: 2 } }, /\.config\.acks: 2 is not allowed/],
  [{ ...minimal, config: { retires: 3 } }, /\.config\.retires: unknown field/],
  [{ ...minimal, config: { idempotent: 'yes' } }, /\.config\.idempotent: "yes" is not a boolean/],
  [{ ...minimal, workload: { messages: 0 } }, /\.workload\.messages: 0 is not a positive integer/],
  [{ ...minimal, expect: { undeliverd: 0 } }, /\.expect\.undeliverd: unknown count[\s\S]*undelivered/],
  [{ ...minimal, expect: { undelivered: { gtt: 0 } } }, /\.expect\.undelivered\.gtt: unknown field/],
  [{ client: 'kafkajs' }, /\.name: is missing/],
  [{ ...minimal, client: 'java', mode: 'resilient' }, /\.mode: "resilient" is not available for client "java"[\s\S]*kafkajs or node-rdkafka/],
])('rejects %j with one error naming the field', (input, message) => {
  expect(() => defineScenario(input as never)).toThrow(message);
});

test('the seed suite per client: 6 blackhole-from-start cases (+3 resilient for kafkajs, node-rdkafka), 3 mid-run, 2 refuse, 1 control, all unique', () => {
  const cases = seedCases();
  expect(cases).toHaveLength(12 * clients + 3 * resilientClients);
  expect(cases.filter((c) => c.fault === 'blackhole' && !c.midRun)).toHaveLength(6 * clients + 3 * resilientClients);
  expect(cases.filter((c) => c.mode === 'resilient')).toHaveLength(3 * resilientClients);
  expect(cases.filter((c) => c.midRun)).toHaveLength(3 * clients);
  expect(cases.filter((c) => c.fault === 'refuse')).toHaveLength(2 * clients);
  expect(cases.filter((c) => c.fault === 'none')).toHaveLength(clients);
  expect(new Set(SUITES.seed().map((s) => s.name)).size).toBe(12 * clients + 3 * resilientClients);
});

test('seed expectations: workaround and control deliver everything; library-only pins its loss', () => {
  const byName = new Map(SUITES.seed().map((s) => [s.name, s]));
  expect(byName.get('seed/kafkajs/hashing/workaround/blackhole-k1')?.expect).toMatchObject({ undelivered: 0, lostAcked: 0 });
  expect(byName.get('seed/node-rdkafka/round-robin/library-only/no-fault')?.expect).toMatchObject({ undelivered: 0 });
  expect(byName.get('seed/kafkajs/round-robin/library-only/refuse-k1')?.expect).toMatchObject({ undelivered: { gt: 0 }, lostAcked: 0 });
  expect(byName.get('seed/node-rdkafka/round-robin/library-only/blackhole-k1')?.expect).toMatchObject({ undelivered: { gt: 0 } });
  // kafkajs: the blackhole holds k1's requests and delivers them on heal (measured; README)
  for (const strategy of ['round-robin', 'hashing', 'manual']) {
    expect(byName.get(`seed/kafkajs/${strategy}/library-only/blackhole-k1`)?.expect).toMatchObject({ indeterminate: { gt: 0 }, lostAcked: 0 });
  }
  // sticky partitioners (librdkafka, Java): a resent unkeyed message can land on k1's partition again, and again (measured; README)
  expect(byName.get('seed/node-rdkafka/round-robin/workaround/refuse-k1')?.expect).toMatchObject({ undelivered: { lte: 2 }, lostAcked: 0 });
  expect(byName.get('seed/java/round-robin/workaround/refuse-k1')?.expect).toMatchObject({ undelivered: { lte: 30 }, lostAcked: 0 });
  expect(byName.get('seed/kafkajs/round-robin/workaround/refuse-k1')?.expect).toMatchObject({ undelivered: 0 });
  expect(byName.get('seed/node-rdkafka/round-robin/workaround/refuse-k1')?.workaround.maxAttempts).toBe(10);
  expect(byName.get('seed/node-rdkafka/hashing/resilient/blackhole-k1')?.expect).toMatchObject({ undelivered: 0, lostAcked: 0 });
  expect(byName.has('seed/java/hashing/resilient/blackhole-k1')).toBe(false);
});

test('seed-full is the whole cross product plus controls', () => {
  expect(seedFullCases()).toHaveLength(clients * (1 + 3 * 2 * 2 * 2));
  expect(seedScenario({ client: 'kafkajs', strategy: 'manual', mode: 'workaround', fault: 'refuse', midRun: true }).faults[0]).toMatchObject({ kind: 'refuse', target: 'k1', atMs: MID_RUN_FAULT_AT_MS });
});
