import { grownTo, SlotTokens } from '../workload/slot-tokens';
import type { SendOutcome } from './producer-under-test';

type Done = (id: number, outcome: SendOutcome) => void;

/**
 * A callback client's sends awaiting their delivery report: in columns at reused slots rather
 * than an object each (workload/slot-tokens.ts says why). `add` gives the send's token, the opaque
 * the client carries to its report; `settle` hands the outcome to the caller's callback once, and a
 * second report for the same send finds nothing.
 */
export class PendingSends {
  private readonly slots = new SlotTokens();
  /** The partition the caller asked for; -1 when the partitioner chose (null). */
  private requestedPartitions = new Int32Array(0);
  /** The caller's count of client trouble (timeouts, failed connections) when the send was made. */
  private troubleAtSend = new Float64Array(0);
  /** The caller's id and callback. */
  private ids = new Float64Array(0);
  private readonly callbacks: Array<Done | undefined> = [];

  add(requestedPartition: number | null, troubleCount: number, id: number, done: Done): number {
    const token = this.slots.take();
    const slot = this.slots.slotOf(token);
    if (slot >= this.ids.length) this.grow(slot + 1);
    this.requestedPartitions[slot] = requestedPartition ?? -1;
    this.troubleAtSend[slot] = troubleCount;
    this.ids[slot] = id;
    this.callbacks[slot] = done;
    return token;
  }

  has(token: number): boolean {
    return this.slots.slotOf(token) >= 0;
  }

  /** The partition asked for (null: the partitioner chose, or the send is not pending). */
  requestedPartition(token: number): number | null {
    const slot = this.slots.slotOf(token);
    const partition = slot < 0 ? -1 : this.requestedPartitions[slot];
    return partition < 0 ? null : partition;
  }

  /** The trouble count when the send was made (Infinity when it is not pending: no trouble since). */
  troubleCountAtSend(token: number): number {
    const slot = this.slots.slotOf(token);
    return slot < 0 ? Infinity : this.troubleAtSend[slot];
  }

  /** Hands `outcome` to the send's callback and forgets the send; nothing when it is not pending. */
  settle(token: number, outcome: SendOutcome): void {
    const slot = this.slots.slotOf(token);
    if (slot < 0) return;
    const id = this.ids[slot];
    const done = this.callbacks[slot]!;
    // Dropped at once: the callback holds its caller's state (a workload holds the whole history
    // recorder), and a client such as node-rdkafka keeps this object alive after close.
    this.callbacks[slot] = undefined;
    this.slots.release(token);
    done(id, outcome);
  }

  /** The tokens still pending (a copy: settling them does not disturb it). */
  tokens(): number[] {
    return this.slots.tokens();
  }

  private grow(slots: number): void {
    this.requestedPartitions = grownTo(this.requestedPartitions, slots);
    this.troubleAtSend = grownTo(this.troubleAtSend, slots);
    this.ids = grownTo(this.ids, slots);
  }
}
