import fc from 'fast-check';
import { SlotTokens } from './slot-tokens';
import { AttemptsInFlight } from './attempts-in-flight';

const PARTITIONER_CHOOSES = { key: null, partition: null };

test('a released token finds nothing, even once its slot is reused', () => {
  const slots = new SlotTokens();
  const first = slots.take();
  expect(slots.slotOf(first)).toBe(0);
  slots.release(first);
  expect(slots.slotOf(first)).toBe(-1);
  const second = slots.take(); // the same slot, a new generation
  expect(slots.slotOf(second)).toBe(0);
  expect(second).not.toBe(first);
  expect(slots.slotOf(first)).toBe(-1);
  slots.release(first); // stale: does not free the slot's new holder
  expect(slots.slotOf(second)).toBe(0);
  expect(slots.size).toBe(1);
  expect(slots.slotOf(-1)).toBe(-1);
  expect(slots.slotOf(12345)).toBe(-1);
});

test('against a Map model: any sequence of takes and releases, past the first growth', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant<'take'>('take'), fc.nat({ max: 3000 })), { maxLength: 4000 }), (steps) => {
      const slots = new SlotTokens();
      const live = new Set<number>();
      const released: number[] = [];
      for (const step of steps) {
        if (step === 'take') {
          const token = slots.take();
          expect(live.has(token)).toBe(false);
          live.add(token);
        } else {
          const token = [...live][step % Math.max(1, live.size)];
          if (token === undefined) continue;
          slots.release(token);
          live.delete(token);
          released.push(token);
        }
      }
      expect(slots.size).toBe(live.size);
      expect(new Set(slots.tokens())).toEqual(live);
      const slotsInUse = [...live].map((token) => slots.slotOf(token));
      expect(new Set(slotsInUse).size).toBe(live.size); // no two live tokens share a slot
      for (const token of released) if (!live.has(token)) expect(slots.slotOf(token)).toBe(-1);
    }),
    { numRuns: 200 },
  );
});

test('attempts keep their fields at their slot, and are listed in the order they were invoked', () => {
  const attempts = new AttemptsInFlight();
  const tokens = Array.from({ length: 2000 }, (_, i) => attempts.add(i * 2, 100 + i, 1 + (i % 3), PARTITIONER_CHOOSES, i));
  for (const token of tokens.filter((_, i) => i % 2 === 0)) attempts.remove(token);
  const later = attempts.add(9_999, 7, 2, { key: 'k-7', partition: 1 }, 50); // reuses a freed slot
  const slot = attempts.slotOf(later);
  expect([attempts.seq(slot), attempts.attempt(slot), attempts.invokedAtMs(slot), attempts.placement(slot)]).toEqual([7, 2, 50, { key: 'k-7', partition: 1 }]);
  expect(attempts.settledAsInfo(slot)).toBe(false);
  attempts.markSettledAsInfo(slot);
  expect(attempts.settledAsInfo(slot)).toBe(true);
  expect(attempts.size).toBe(1001);
  const order = attempts.tokensInOrder();
  expect(order[order.length - 1]).toBe(later);
  expect(order.slice(0, -1).map((token) => attempts.seq(attempts.slotOf(token)))).toEqual(Array.from({ length: 1000 }, (_, i) => 101 + 2 * i));
});
