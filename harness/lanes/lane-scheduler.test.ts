import fc from 'fast-check';
import { LaneScheduler, SchedulerItem } from './lane-scheduler';

const laned = (key: string): SchedulerItem => ({ need: { kind: 'lane' }, key });
const alone = (key: string): SchedulerItem => ({ need: { kind: 'exclusive', reason: 'kill on k1' }, key });

test('laned scenarios fill the lanes in plan order, the next starts in the lane that frees up', () => {
  const s = new LaneScheduler([laned('a'), laned('b'), laned('c'), laned('d')], 2);
  expect(s.next()).toEqual([{ item: 0, lane: 1 }, { item: 1, lane: 2 }]);
  expect(s.next()).toEqual([]);
  s.finished(1);
  expect(s.next()).toEqual([{ item: 2, lane: 2 }]);
  s.finished(0);
  expect(s.next()).toEqual([{ item: 3, lane: 1 }]);
});

test('a scenario that needs the whole cluster waits for every laned one, then runs with no lane busy', () => {
  const s = new LaneScheduler([alone('x'), laned('a'), alone('y'), laned('b')], 3);
  expect(s.next()).toEqual([{ item: 1, lane: 1 }, { item: 3, lane: 2 }]);
  s.finished(1);
  expect(s.next()).toEqual([]); // b still runs
  s.finished(3);
  expect(s.next()).toEqual([{ item: 0, lane: 'exclusive' }]);
  expect(s.next()).toEqual([]); // nothing beside it
  s.finished(0);
  expect(s.next()).toEqual([{ item: 2, lane: 'exclusive' }]);
  s.finished(2);
  expect(s.done).toBe(true);
});

test('two scenarios with one key (same folder and topic stem) never run at once', () => {
  const s = new LaneScheduler([laned('a'), laned('a'), laned('b')], 3);
  expect(s.next()).toEqual([{ item: 0, lane: 1 }, { item: 2, lane: 2 }]);
  s.finished(2);
  expect(s.next()).toEqual([]);
  s.finished(0);
  expect(s.next()).toEqual([{ item: 1, lane: 1 }]);
});

test('one lane: laned scenarios one at a time, in plan order', () => {
  const s = new LaneScheduler([laned('a'), laned('b')], 1);
  expect(s.next()).toEqual([{ item: 0, lane: 1 }]);
  s.finished(0);
  expect(s.next()).toEqual([{ item: 1, lane: 1 }]);
});

test('a lane count that is not a whole number ≥ 1 is refused', () => {
  expect(() => new LaneScheduler([], 0)).toThrow(/lanes must be a whole number/);
  expect(() => new LaneScheduler([], 2, 0)).toThrow(/sending must be a whole number/);
});

test('at most `sending` start or send at once: one waiting on its client frees a sending slot, not its lane', () => {
  const s = new LaneScheduler([laned('a'), laned('b'), laned('c'), laned('d'), laned('e')], 3, 2);
  expect(s.next()).toEqual([{ item: 0, lane: 1 }, { item: 1, lane: 2 }]); // a third lane is free, no sending slot
  s.waiting(0);
  expect(s.next()).toEqual([{ item: 2, lane: 3 }]);
  s.waiting(1);
  expect(s.next()).toEqual([]); // a sending slot is free, no lane
  s.finished(0);
  expect(s.next()).toEqual([{ item: 3, lane: 1 }]);
  s.finished(3); // finished while still sending: both its lane and its slot free up
  s.waiting(3); // a late report for a finished item changes nothing
  expect(s.next()).toEqual([{ item: 4, lane: 1 }]);
});

test('an exclusive scenario is not held back by the sending limit', () => {
  const s = new LaneScheduler([laned('a'), alone('x')], 2, 1);
  expect(s.next()).toEqual([{ item: 0, lane: 1 }]);
  s.finished(0);
  expect(s.next()).toEqual([{ item: 1, lane: 'exclusive' }]);
});

test('property: every item runs once; never more than `lanes` at once nor `sending` sending; an exclusive one always alone; equal keys never together', () => {
  const item = fc.record({ exclusive: fc.boolean(), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') });
  const event = fc.record({ pick: fc.nat(), waitsFirst: fc.boolean() });
  fc.assert(fc.property(fc.array(item, { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.array(event, { maxLength: 200 }), (spec, lanes, sending, events) => {
    const items = spec.map((i) => (i.exclusive ? alone(i.key) : laned(i.key)));
    const s = new LaneScheduler(items, lanes, sending);
    const running = new Map<number, number | 'exclusive'>();
    const waiting = new Set<number>();
    const started: number[] = [];
    let turn = 0;
    while (!s.done) {
      for (const start of s.next()) {
        running.set(start.item, start.lane);
        started.push(start.item);
      }
      const now = [...running.entries()];
      expect(now.length).toBeGreaterThan(0); // never stuck
      expect(now.length).toBeLessThanOrEqual(lanes);
      expect(now.filter(([i, lane]) => lane !== 'exclusive' && !waiting.has(i)).length).toBeLessThanOrEqual(sending);
      if (now.some(([, lane]) => lane === 'exclusive')) expect(now).toHaveLength(1);
      else expect(new Set(now.map(([, lane]) => lane)).size).toBe(now.length);
      expect(new Set(now.map(([i]) => items[i].key)).size).toBe(now.length);
      const { pick, waitsFirst } = events[turn++] ?? { pick: 0, waitsFirst: false };
      const [chosen] = now[pick % now.length];
      if (waitsFirst && !waiting.has(chosen)) {
        waiting.add(chosen); // it keeps its lane, gives up its sending slot
        s.waiting(chosen);
        continue;
      }
      running.delete(chosen);
      waiting.delete(chosen);
      s.finished(chosen);
    }
    expect([...started].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
  }));
});
