/**
 * Per-broker health, learnt from what sends to the partitions a broker leads report: a circuit
 * breaker per broker.
 *
 * - `unknown` (every broker at start): not proven reachable yet. One message at a time may go to
 *   it (a probe); its ack makes the broker healthy, its failure (or no answer for suspectAfterMs)
 *   unhealthy. So a broker cut from the start costs one stuck message, not every message its
 *   partitions would have got meanwhile.
 * - `healthy`: used freely.
 * - `unhealthy`: a send to it failed or timed out, or it was suspected (a send outstanding for
 *   `suspectAfterMs` with no ack from it meanwhile). Not used until its cooldown ends; then one
 *   message is let through as a probe. A failed probe doubles the cooldown (up to `maxCooldownMs`),
 *   a successful one makes it healthy again. A success of any send makes it healthy (the broker
 *   answered), so a healed blackhole that delivers held requests is noticed at once.
 *
 * Pure bookkeeping: no timers and no I/O; the caller passes the clock and calls `sweep()`.
 */

export type BrokerStatus = 'unknown' | 'healthy' | 'unhealthy';

export interface BrokerHealthSettings {
  /** First cooldown after a failure, before a probe is let through. @default 2000 */
  cooldownMs: number;
  /** The cooldown doubles per failed probe, up to this. @default 15000 */
  maxCooldownMs: number;
  /** A send outstanding this long with no ack from its broker meanwhile marks the broker unhealthy before the send's own timeout. @default 1000 */
  suspectAfterMs: number;
}

export const DEFAULT_BROKER_HEALTH: BrokerHealthSettings = { cooldownMs: 2_000, maxCooldownMs: 15_000, suspectAfterMs: 1_000 };

interface BrokerState {
  status: BrokerStatus;
  /** unhealthy: no probe before this time. */
  probeAtMs: number;
  /** Failed probes in a row (sets the cooldown). */
  failedProbes: number;
  /** A probe is outstanding (at most one per broker). */
  probing: boolean;
  lastSuccessAtMs: number;
  /** Outstanding sends: ticket → start time, oldest first (Map keeps insertion order). */
  outstanding: Map<number, number>;
}

/** What a send to a broker was: an ordinary send, or the one probe. */
export interface SendTicket {
  broker: number;
  id: number;
  probe: boolean;
}

export interface BrokerSnapshot {
  status: BrokerStatus;
  probing: boolean;
  /** unhealthy: ms until a probe may go (0: now). */
  probeInMs: number;
  outstanding: number;
}

export class BrokerHealth {
  private readonly brokers = new Map<number, BrokerState>();
  private nextTicket = 0;
  /** Caps every cooldown (close() lowers it so that a healed broker is found quickly). */
  private cooldownCapMs = Infinity;

  constructor(
    private readonly settings: BrokerHealthSettings,
    private readonly clock: () => number,
  ) {}

  private state(broker: number): BrokerState {
    let state = this.brokers.get(broker);
    if (!state) {
      state = { status: 'unknown', probeAtMs: 0, failedProbes: 0, probing: false, lastSuccessAtMs: -Infinity, outstanding: new Map() };
      this.brokers.set(broker, state);
    }
    return state;
  }

  status(broker: number): BrokerStatus {
    return this.state(broker).status;
  }

  isHealthy(broker: number): boolean {
    return this.brokers.get(broker)?.status === 'healthy';
  }

  /** Whether a probe may go to `broker` now (unknown or cooled-down unhealthy, none outstanding). */
  canProbe(broker: number): boolean {
    const s = this.state(broker);
    if (s.status === 'healthy' || s.probing) return false;
    return s.status === 'unknown' || this.clock() >= s.probeAtMs;
  }

  /** ms until `broker` may be probed (0 if now; Infinity while a probe is outstanding or it is healthy). */
  probeInMs(broker: number): number {
    const s = this.state(broker);
    if (s.status === 'healthy' || s.probing) return Infinity;
    return s.status === 'unknown' ? 0 : Math.max(0, s.probeAtMs - this.clock());
  }

  /** Starts a send to `broker`; `probe` claims the broker's one probe slot (call canProbe first). */
  begin(broker: number, probe: boolean): SendTicket {
    const s = this.state(broker);
    if (probe) s.probing = true;
    const ticket = { broker, id: this.nextTicket++, probe };
    s.outstanding.set(ticket.id, this.clock());
    return ticket;
  }

  /** The broker acknowledged a send: it is reachable. */
  succeeded(ticket: SendTicket): void {
    const s = this.state(ticket.broker);
    s.outstanding.delete(ticket.id);
    if (ticket.probe) s.probing = false;
    s.lastSuccessAtMs = this.clock();
    s.status = 'healthy';
    s.failedProbes = 0;
  }

  /** A send failed or timed out. Returns true when this made the broker unhealthy (or kept it so after a probe). */
  failed(ticket: SendTicket): boolean {
    const s = this.state(ticket.broker);
    s.outstanding.delete(ticket.id);
    if (ticket.probe) {
      s.probing = false;
      s.failedProbes++;
      this.markUnhealthy(s);
      return true;
    }
    if (s.status === 'unhealthy') return false; // an older send failing says nothing new
    this.markUnhealthy(s);
    return true;
  }

  /** A send ended for a reason that says nothing about the broker (message too large, producer closing). */
  abandoned(ticket: SendTicket): void {
    const s = this.state(ticket.broker);
    s.outstanding.delete(ticket.id);
    if (ticket.probe) s.probing = false;
  }

  /** Marks a broker unhealthy from outside a send. */
  markFailed(broker: number): void {
    const s = this.state(broker);
    if (s.status !== 'unhealthy') this.markUnhealthy(s);
  }

  /**
   * Suspects healthy (or unknown, being probed) brokers with a send outstanding for suspectAfterMs
   * and no ack from them for as long (a slow broker still acks now and then; a cut one does not).
   * The probe slot stays taken until that probe answers. Returns the brokers it marked.
   */
  sweep(): number[] {
    const now = this.clock();
    const marked: number[] = [];
    for (const [broker, s] of this.brokers) {
      if (s.status === 'unhealthy') continue;
      const oldest = s.outstanding.values().next();
      if (oldest.done) continue;
      const startedAtMs = oldest.value;
      if (now - startedAtMs >= this.settings.suspectAfterMs && now - s.lastSuccessAtMs >= this.settings.suspectAfterMs) {
        this.markUnhealthy(s);
        marked.push(broker);
      }
    }
    return marked;
  }

  /** Caps every cooldown from now on (and those running) at `capMs`. */
  capCooldown(capMs: number): void {
    this.cooldownCapMs = capMs;
    const latest = this.clock() + capMs;
    for (const s of this.brokers.values()) if (s.status === 'unhealthy') s.probeAtMs = Math.min(s.probeAtMs, latest);
  }

  snapshot(): Record<number, BrokerSnapshot> {
    return Object.fromEntries(
      [...this.brokers].map(([broker, s]) => [broker, { status: s.status, probing: s.probing, probeInMs: s.status === 'unhealthy' ? Math.max(0, s.probeAtMs - this.clock()) : 0, outstanding: s.outstanding.size }]),
    );
  }

  private markUnhealthy(s: BrokerState): void {
    const cooldown = Math.min(this.settings.maxCooldownMs, this.settings.cooldownMs * 2 ** Math.max(0, s.failedProbes - 1), this.cooldownCapMs);
    s.status = 'unhealthy';
    s.probeAtMs = this.clock() + cooldown;
  }
}
