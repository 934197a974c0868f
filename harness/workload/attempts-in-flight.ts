import type { Placement } from '../strategies/partition-strategy';
import { grownTo, SlotTokens } from './slot-tokens';

/**
 * The workload's attempts awaiting the client's own outcome: in columns at reused slots rather
 * than an object each (slot-tokens.ts says why). `add` gives the attempt's token, the id the client
 * hands back with its outcome. Read an attempt's fields through its slot before removing it: the
 * slot goes to the next attempt.
 */
export class AttemptsInFlight {
  private readonly slots = new SlotTokens();
  /** The invoke op's index: the order attempts were made. */
  private opIndexes = new Float64Array(0);
  private seqs = new Float64Array(0);
  private attemptNumbers = new Int32Array(0);
  /** The invoke op's timeMs. */
  private invokedAt = new Float64Array(0);
  /** 1 once the harness recorded info for it (a deadline): the client's own outcome will be late. */
  private settled = new Uint8Array(0);
  /** Where the strategy placed the attempt (a retry starts from it). */
  private readonly placements: Placement[] = [];

  /** Records an attempt just invoked (op `opIndex` at `invokedAtMs`); returns its token. */
  add(opIndex: number, seq: number, attempt: number, placement: Placement, invokedAtMs: number): number {
    const token = this.slots.take();
    const slot = this.slots.slotOf(token);
    if (slot >= this.seqs.length) this.grow(slot + 1);
    this.opIndexes[slot] = opIndex;
    this.seqs[slot] = seq;
    this.attemptNumbers[slot] = attempt;
    this.invokedAt[slot] = invokedAtMs;
    this.settled[slot] = 0;
    this.placements[slot] = placement;
    return token;
  }

  /** The slot of the attempt with `token`, or -1 once it has its outcome. */
  slotOf(token: number): number {
    return this.slots.slotOf(token);
  }

  seq(slot: number): number {
    return this.seqs[slot];
  }

  attempt(slot: number): number {
    return this.attemptNumbers[slot];
  }

  placement(slot: number): Placement {
    return this.placements[slot];
  }

  invokedAtMs(slot: number): number {
    return this.invokedAt[slot];
  }

  settledAsInfo(slot: number): boolean {
    return this.settled[slot] === 1;
  }

  markSettledAsInfo(slot: number): void {
    this.settled[slot] = 1;
  }

  remove(token: number): void {
    this.slots.release(token);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Tokens of the attempts still awaiting their outcome, in the order they were invoked. */
  tokensInOrder(): number[] {
    const opIndexOf = (token: number) => this.opIndexes[this.slots.slotOf(token)];
    return this.slots.tokens().sort((a, b) => opIndexOf(a) - opIndexOf(b));
  }

  private grow(slots: number): void {
    this.opIndexes = grownTo(this.opIndexes, slots);
    this.seqs = grownTo(this.seqs, slots);
    this.attemptNumbers = grownTo(this.attemptNumbers, slots);
    this.invokedAt = grownTo(this.invokedAt, slots);
    this.settled = grownTo(this.settled, slots);
  }
}
