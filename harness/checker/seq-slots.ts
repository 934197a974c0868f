/**
 * Maps message seqs to dense slots 0, 1, 2, … in order of first appearance, so per-seq state can
 * live in typed arrays (a few bytes per seq) instead of one object per seq: a 1M-message history
 * must be checkable in a few hundred MB.
 */

/**
 * Seqs in [0, DIRECT_SEQ_LIMIT) are looked up in a flat Int32Array indexed by seq (4 bytes per
 * possible seq, grown on demand); any other seq (negative, huge, fractional) falls back to a Map.
 * Workloads number seqs 0, 1, 2, … so the fast path is the normal one.
 * @default 16_777_216 (64 MB of index at most)
 */
export const DIRECT_SEQ_LIMIT = 1 << 24;

const INITIAL_CAPACITY = 1024;

export class SeqSlots {
  /** slot + 1 for each direct seq; 0 = not seen. */
  private direct = new Int32Array(INITIAL_CAPACITY);
  private readonly other = new Map<number, number>();
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private count = 0;

  /** Number of distinct seqs seen. */
  get size(): number {
    return this.count;
  }

  /** The slot of `seq`, or -1 when it was never seen. */
  find(seq: number): number {
    if (isDirect(seq)) return seq < this.direct.length ? this.direct[seq] - 1 : -1;
    return this.other.get(seq) ?? -1;
  }

  /** The slot of `seq`, allocating the next free one on first sight. */
  slotOf(seq: number): number {
    if (isDirect(seq)) {
      if (seq >= this.direct.length) this.direct = grownInt32(this.direct, seq + 1);
      const known = this.direct[seq];
      if (known !== 0) return known - 1;
      const slot = this.allocate(seq);
      this.direct[seq] = slot + 1;
      return slot;
    }
    const known = this.other.get(seq);
    if (known !== undefined) return known;
    const slot = this.allocate(seq);
    this.other.set(seq, slot);
    return slot;
  }

  /** The seq stored in `slot`. */
  seqAt(slot: number): number {
    return this.seqs[slot];
  }

  private allocate(seq: number): number {
    if (this.count === this.seqs.length) this.seqs = grownFloat64(this.seqs, this.count + 1);
    this.seqs[this.count] = seq;
    return this.count++;
  }
}

function isDirect(seq: number): boolean {
  // `seq >>> 0 === seq` is a cheap "non-negative 32-bit integer" test.
  return seq >>> 0 === seq && seq < DIRECT_SEQ_LIMIT;
}

/**
 * Growing capacity by GROWTH_FACTOR keeps appends amortised O(1). Fourfold, not twofold: on a 10M
 * history every column is copied a third as much (copying and first-touching the new pages was a
 * fifth of the checker's time), and a fresh typed array's untouched tail costs no resident memory.
 * @default 4
 */
export const GROWTH_FACTOR = 4;

export function nextCapacity(current: number, needed: number): number {
  let capacity = Math.max(current, INITIAL_CAPACITY);
  while (capacity < needed) capacity *= GROWTH_FACTOR;
  return capacity;
}

export function grownInt32(old: Int32Array, needed: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(nextCapacity(old.length, needed));
  next.set(old);
  return next;
}

export function grownUint32(old: Uint32Array, needed: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(nextCapacity(old.length, needed));
  next.set(old);
  return next;
}

export function grownUint8(old: Uint8Array, needed: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(nextCapacity(old.length, needed));
  next.set(old);
  return next;
}

/** New cells are NaN-filled when `fill` is given (NaN marks "no value" in time columns). */
export function grownFloat64(old: Float64Array, needed: number, fill?: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(nextCapacity(old.length, needed));
  if (fill !== undefined) next.fill(fill, old.length);
  next.set(old);
  return next;
}
