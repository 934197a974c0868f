import { positionsAfter } from './copier-loop';

test("a transaction's offsets are the next offset per input partition, whatever the records' order", () => {
  const record = (partition: number, offset: number) => ({ partition, offset, seq: offset, value: Buffer.alloc(0) });
  expect(positionsAfter([record(2, 7), record(0, 3), record(2, 5), record(0, 4)])).toEqual([{ partition: 0, offset: 5 }, { partition: 2, offset: 8 }]);
  expect(positionsAfter([])).toEqual([]);
});
