import type { StartedCluster } from '../cluster/started-cluster';
import { HistoryRecorder } from '../history/history-recorder';
import { FaultSpec, resolveTarget } from './fault-spec';
import { LINK_FAULTS } from './link-fault';

export const NEMESIS_PROCESS = 'nemesis';

/**
 * Injects and heals a scenario's faults at their offsets, recording each in the history.
 * `healAll` ends every fault still active (the end of the workload) and waits for timers in flight.
 */
export class FaultSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly active = new Set<FaultSpec>();
  private readonly work: Promise<void>[] = [];

  constructor(
    private readonly faults: FaultSpec[],
    private readonly cluster: StartedCluster,
    private readonly recorder: HistoryRecorder,
    private readonly leaders: Record<number, number>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Injects the faults due at 0 now (before the producer connects) and schedules the rest. */
  async start(): Promise<void> {
    for (const fault of this.faults) {
      if (fault.atMs <= 0) await this.inject(fault);
      else this.later(fault.atMs, () => this.inject(fault));
      if (fault.healAtMs !== null) this.later(fault.healAtMs, () => this.heal(fault));
    }
  }

  async healAll(): Promise<void> {
    this.timers.forEach(clearTimeout);
    await Promise.allSettled(this.work);
    for (const fault of [...this.active]) await this.heal(fault);
  }

  private later(atMs: number, action: () => Promise<void>): void {
    const delayMs = Math.max(0, atMs - this.recorder.now());
    this.timers.push(setTimeout(() => this.work.push(action().catch(this.onError)), delayMs));
  }

  private proxyFor(fault: FaultSpec) {
    const id = resolveTarget(fault.target, this.leaders);
    const broker = this.cluster.brokers.find((b) => b.id === id);
    if (!broker) throw new Error(`fault target ${fault.target}: no broker with id ${id}`);
    return broker;
  }

  private async inject(fault: FaultSpec): Promise<void> {
    const broker = this.proxyFor(fault);
    await LINK_FAULTS[fault.kind].inject(broker.proxy);
    this.active.add(fault);
    this.recorder.record(NEMESIS_PROCESS, 'info', 'inject', { fault: fault.kind, target: fault.target, broker: broker.name });
  }

  private async heal(fault: FaultSpec): Promise<void> {
    if (!this.active.delete(fault)) return;
    const broker = this.proxyFor(fault);
    await LINK_FAULTS[fault.kind].heal(broker.proxy);
    this.recorder.record(NEMESIS_PROCESS, 'info', 'heal', { fault: fault.kind, target: fault.target, broker: broker.name });
  }
}
