import { FAULT_KINDS } from '../harness/faults/fault-spec';
import { RESILIENT_FAULTS, resilientCases, resilientScenario } from './resilient.suite';
import { MID_RUN_FAULT_AT_MS } from './seed.suite';
import { SUITES } from './suites';

const faults = (FAULT_KINDS as readonly string[]).includes('flap') ? 4 : 3;

test('the resilient suite: fault × strategy × (kafkajs, node-rdkafka), plus a control per client, all unique', () => {
  expect(RESILIENT_FAULTS).toHaveLength(faults);
  const scenarios = SUITES.resilient();
  expect(scenarios).toHaveLength(2 * (1 + faults * 3));
  expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  expect(scenarios.every((s) => s.mode === 'resilient' && ['kafkajs', 'node-rdkafka'].includes(s.client))).toBe(true);
});

test('every resilient scenario expects nothing lost, and nothing about duplicates', () => {
  for (const s of SUITES.resilient()) expect(s.expect).toEqual({ undelivered: 0, lostAcked: 0 });
});

test('the faults are the seed\'s: k1 cut from the start, from mid-run, refused, flapping', () => {
  const byName = new Map(resilientCases().map((c) => [c.fault, resilientScenario(c)]));
  expect(byName.get('blackhole-k1')?.faults[0]).toMatchObject({ kind: 'blackhole', target: 'k1', atMs: 0 });
  expect(byName.get('blackhole-k1-midrun')?.faults[0]).toMatchObject({ kind: 'blackhole', target: 'k1', atMs: MID_RUN_FAULT_AT_MS });
  expect(byName.get('refuse-k1')?.faults[0]).toMatchObject({ kind: 'refuse', target: 'k1' });
  if (faults === 4) expect(byName.get('flap-k1')?.faults[0]).toMatchObject({ kind: 'flap', target: 'k1', periodMs: 500 });
  expect(byName.get('no-fault')?.faults).toEqual([]);
});
