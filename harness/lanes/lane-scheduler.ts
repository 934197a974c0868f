import type { LaneNeed } from './lane-needs';

export interface SchedulerItem {
  need: LaneNeed;
  /** Items with equal keys never run at once (lane-needs.ts conflictKey). */
  key: string;
}

/** An item to start now: in lane `lane` (1…lanes), or alone on the whole cluster ('exclusive'). */
export interface Start {
  item: number;
  lane: number | 'exclusive';
}

/**
 * Decides which scenario starts when, on a cluster with `lanes` client lanes (pure: the caller
 * runs them and reports each end). Laned items start in plan order as lanes free up, skipping one
 * whose key is running; items that need the whole cluster wait until every laned item has
 * finished, then run one at a time with no lane busy. Exclusive items go last so the lanes drain
 * once, not before each of them.
 *
 * At most `sending` laned items are starting or sending at once: an item counts until the caller
 * reports it `waiting` (its client has every send and only its own timeouts are left). A scenario
 * waiting 30 s on a client's request timeouts holds a lane but not a core, so the lanes can
 * outnumber what the cores can drive without moving the sends of the others against their faults.
 */
export class LaneScheduler {
  private readonly pending: number[];
  private readonly running = new Map<number, number | 'exclusive'>();
  private readonly sendingNow = new Set<number>();

  constructor(private readonly items: readonly SchedulerItem[], private readonly lanes: number, private readonly sending = lanes) {
    if (!Number.isInteger(lanes) || lanes < 1) throw new Error(`lanes must be a whole number ≥ 1, got ${lanes}`);
    if (!Number.isInteger(sending) || sending < 1) throw new Error(`sending must be a whole number ≥ 1, got ${sending}`);
    this.pending = items.map((_, i) => i);
  }

  /** What to start now (each is then running until `finished`). */
  next(): Start[] {
    if ([...this.running.values()].includes('exclusive')) return [];
    const starts: Start[] = [];
    const busyKeys = new Set([...this.running.keys()].map((i) => this.items[i].key));
    for (const item of [...this.pending]) {
      if (this.items[item].need.kind !== 'lane' || busyKeys.has(this.items[item].key)) continue;
      if (this.sendingNow.size >= this.sending) break;
      const lane = this.freeLane();
      if (lane === undefined) break;
      this.begin(item, lane);
      busyKeys.add(this.items[item].key);
      starts.push({ item, lane });
    }
    const lanedLeft = this.pending.some((i) => this.items[i].need.kind === 'lane');
    if (starts.length === 0 && this.running.size === 0 && !lanedLeft && this.pending.length > 0) {
      const item = this.pending[0];
      this.begin(item, 'exclusive');
      starts.push({ item, lane: 'exclusive' });
    }
    return starts;
  }

  finished(item: number): void {
    if (!this.running.delete(item)) throw new Error(`item ${item} is not running`);
    this.sendingNow.delete(item);
  }

  /** The item still runs in its lane but no longer counts as sending (idempotent; ignored once finished). */
  waiting(item: number): void {
    this.sendingNow.delete(item);
  }

  get done(): boolean {
    return this.pending.length === 0 && this.running.size === 0;
  }

  private begin(item: number, lane: number | 'exclusive'): void {
    this.pending.splice(this.pending.indexOf(item), 1);
    this.running.set(item, lane);
    if (lane !== 'exclusive') this.sendingNow.add(item);
  }

  private freeLane(): number | undefined {
    const busy = new Set(this.running.values());
    for (let lane = 1; lane <= this.lanes; lane++) if (!busy.has(lane)) return lane;
    return undefined;
  }
}
