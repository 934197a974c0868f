import { defaultExpectations } from '../harness/checker/guarantee-model';
import { SUITES } from './suites';

const scenarios = SUITES.semantics();

test('the semantics suite is registered, with unique names under semantics/', () => {
  expect(scenarios.length).toBeGreaterThanOrEqual(8);
  expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  expect(scenarios.every((s) => s.name.startsWith('semantics/') && (s.description ?? '').length > 40)).toBe(true);
});

test.each(scenarios.map((s) => [s.name, s] as const))('%s keeps every expectation the guarantee model derives', (_, s) => {
  const model = defaultExpectations({ ...s.config, faults: s.faults, mode: s.mode, client: s.client });
  expect(s.expect).toMatchObject(model);
});

test.each(scenarios.map((s) => [s.name, s] as const))('%s: every fault starts while messages are still being produced', (_, s) => {
  const producingMs = (s.workload.messages / (s.workload.ratePerSec ?? Infinity)) * 1000;
  for (const f of s.faults) expect(f.atMs).toBeLessThan(producingMs);
});

test('each promise the suite is about is shown broken (or kept) by some scenario', () => {
  const shows = (name: string) => scenarios.find((s) => s.name === name)!.expect;
  expect(shows('semantics/acks-0/leader-hangs-then-dies').lostAcked).toEqual({ gt: 0 });
  expect(shows('semantics/acks-1/failover-to-a-follower-that-fell-behind').lostAcked).toEqual({ gt: 0 });
  expect(shows('semantics/acks-all-min-isr-2/isr-shrinks')).toMatchObject({ lostAcked: 0, failed: { gt: 0 } });
  expect(shows('semantics/acks-all-min-isr-1/unclean-failover').lostAcked).toEqual({ gt: 0 });
  expect(shows('semantics/retries-without-idempotence/ack-loss').duplicates).toEqual({ gt: 0 });
  expect(shows('semantics/idempotent/ack-loss')).toMatchObject({ duplicates: 0, reordered: 0 });
  expect(shows('semantics/in-flight-5-without-idempotence/reordering').reordered).toEqual({ gt: 0 });
  expect(shows('semantics/buffer-full/queue-full').failed).toEqual({ gt: 0 });
});
