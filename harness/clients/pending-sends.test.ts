import v8 from 'node:v8';
import vm from 'node:vm';
import type { SendOutcome } from './producer-under-test';
import { PendingSends } from './pending-sends';

test('a send is settled once, to its own callback with its own id; a second report finds nothing', () => {
  const pending = new PendingSends();
  const answers: Array<[number, SendOutcome]> = [];
  const done = (id: number, outcome: SendOutcome) => answers.push([id, outcome]);
  const a = pending.add(2, 0, 41, done);
  const b = pending.add(null, 3, 42, done);
  expect([pending.requestedPartition(a), pending.requestedPartition(b)]).toEqual([2, null]);
  expect([pending.troubleCountAtSend(a), pending.troubleCountAtSend(b)]).toEqual([0, 3]);
  pending.settle(b, { ok: true, partition: 1, offset: 9 });
  pending.settle(b, { ok: true, partition: 1, offset: 10 });
  expect(answers).toEqual([[42, { ok: true, partition: 1, offset: 9 }]]);
  expect(pending.has(b)).toBe(false);
  const c = pending.add(0, 5, 43, done); // b's slot, a new token
  pending.settle(b, { ok: true, partition: 0, offset: 1 });
  expect(answers).toHaveLength(1);
  expect(pending.tokens().sort()).toEqual([a, c].sort());
  for (const token of pending.tokens()) pending.settle(token, { ok: false, definite: false, error: 'closed', partition: pending.requestedPartition(token) });
  expect(answers.map(([id]) => id).sort()).toEqual([41, 42, 43]);
  expect(pending.tokens()).toEqual([]);
});

test('a settled send lets go of its callback (and so of everything the caller keeps in it)', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const pending = new PendingSends();
  let settled = 0;
  const collected = (() => {
    const state = { history: new Array(1000).fill('op') }; // what a workload's callback holds
    const done = () => void (settled += state.history.length > 0 ? 1 : 0);
    pending.settle(pending.add(null, 0, 1, done), { ok: true, partition: 0, offset: 0 });
    return new WeakRef(done);
  })();
  await new Promise((resolve) => setImmediate(resolve)); // a WeakRef holds its target until the turn ends
  gc();
  expect(settled).toBe(1);
  expect(collected.deref()).toBeUndefined();
  expect(pending.tokens()).toEqual([]); // `pending` itself is still alive here
});
