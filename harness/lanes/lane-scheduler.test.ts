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
});

test('property: every item runs once; never more than `lanes` at once; an exclusive one always alone; equal keys never together', () => {
  const item = fc.record({ exclusive: fc.boolean(), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') });
  fc.assert(fc.property(fc.array(item, { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(), { maxLength: 200 }), (spec, lanes, picks) => {
    const items = spec.map((i) => (i.exclusive ? alone(i.key) : laned(i.key)));
    const s = new LaneScheduler(items, lanes);
    const running = new Map<number, number | 'exclusive'>();
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
      if (now.some(([, lane]) => lane === 'exclusive')) expect(now).toHaveLength(1);
      else expect(new Set(now.map(([, lane]) => lane)).size).toBe(now.length);
      expect(new Set(now.map(([i]) => items[i].key)).size).toBe(now.length);
      const [ending] = now[(picks[turn++] ?? 0) % now.length];
      running.delete(ending);
      s.finished(ending);
    }
    expect([...started].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
  }));
});
