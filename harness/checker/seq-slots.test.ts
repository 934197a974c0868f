import { DIRECT_SEQ_LIMIT, SeqSlots } from './seq-slots';

describe('SeqSlots', () => {
  test('dense slots in order of first sight, for direct and map-backed seqs alike', () => {
    const slots = new SeqSlots();
    const seqs = [5, 0, -1, DIRECT_SEQ_LIMIT, 2 ** 40, 0.5, 100_000];
    expect(seqs.map((s) => slots.slotOf(s))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seqs.map((s) => slots.slotOf(s))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seqs.map((s) => slots.find(s))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seqs.map((_, slot) => slots.seqAt(slot))).toEqual(seqs);
    expect(slots.size).toBe(seqs.length);
  });

  test('find() of an unseen seq is -1 and allocates nothing', () => {
    const slots = new SeqSlots();
    expect([3, 10_000_000, -7, 1.25].map((s) => slots.find(s))).toEqual([-1, -1, -1, -1]);
    expect(slots.size).toBe(0);
  });

  test('grows past its initial capacity', () => {
    const slots = new SeqSlots();
    for (let s = 0; s < 5000; s++) expect(slots.slotOf(4999 - s)).toBe(s);
    expect(slots.seqAt(4999)).toBe(0);
  });
});
