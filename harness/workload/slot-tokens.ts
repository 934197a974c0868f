/**
 * Slots for things in flight, reused once released, so that what a caller keeps per thing can live
 * in typed-array columns indexed by slot: no object, no Map entry per thing. At full speed a
 * hundred thousand sends are in flight at once; objects and Map entries that live that long cost
 * more than the client's own work per message (bench/hot-path.ts, bench/full-speed.ts).
 *
 * A token names one use of a slot: the slot plus a generation, so that a stale token (a client that
 * answers twice, a report after close) finds nothing even when its slot has been reused.
 */
const SLOTS = 2 ** 24; // at most 16.7M in flight at once; tokens stay exact doubles for 2^29 reuses of a slot
const INITIAL_CAPACITY = 1024;

export class SlotTokens {
  /** The generation of each slot's current token; a slot's first token has generation 0. */
  private generations = new Float64Array(INITIAL_CAPACITY);
  private inUse = new Uint8Array(INITIAL_CAPACITY);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private nextSlot = 0;
  private used = 0;

  /** A new token (a free slot if any); `slotOf(token)` is where the caller writes its columns. */
  take(): number {
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount];
      this.generations[slot]++;
    } else {
      slot = this.nextSlot++;
      if (slot >= SLOTS) throw new Error(`more than ${SLOTS} sends in flight at once`);
      if (slot >= this.inUse.length) this.grow();
    }
    this.inUse[slot] = 1;
    this.used++;
    return this.generations[slot] * SLOTS + slot;
  }

  /** The slot of a token in flight, or -1 (released, or never taken). */
  slotOf(token: number): number {
    const slot = token % SLOTS;
    if (!(slot >= 0 && slot < this.nextSlot) || this.inUse[slot] === 0 || this.generations[slot] !== (token - slot) / SLOTS) return -1;
    return slot;
  }

  /** Frees the token's slot; nothing when the token is not in flight. */
  release(token: number): void {
    const slot = this.slotOf(token);
    if (slot < 0) return;
    this.inUse[slot] = 0;
    this.used--;
    this.freeSlots[this.freeCount++] = slot;
  }

  get size(): number {
    return this.used;
  }

  /** The tokens in flight (in slot order: sort them if order matters). */
  tokens(): number[] {
    const tokens: number[] = [];
    for (let slot = 0; slot < this.nextSlot; slot++) if (this.inUse[slot] === 1) tokens.push(this.generations[slot] * SLOTS + slot);
    return tokens;
  }

  private grow(): void {
    const capacity = this.inUse.length * 2;
    this.generations = grownTo(this.generations, capacity);
    this.inUse = grownTo(this.inUse, capacity);
    this.freeSlots = grownTo(this.freeSlots, capacity);
  }
}

type Column = Float64Array | Int32Array | Uint8Array;

/** `column` copied into one of `capacity` (at least twice its length when it must grow). */
export function grownTo<C extends Column>(column: C, capacity: number): C {
  const grown = new (column.constructor as new (length: number) => C)(Math.max(capacity, column.length * 2));
  grown.set(column);
  return grown;
}
