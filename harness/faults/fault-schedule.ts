import { HarnessError } from '../errors';
import type { BrokerHandle, StartedCluster } from '../cluster/started-cluster';
import { HistoryRecorder } from '../history/history-recorder';
import { DIRECTION_RULES, FaultSpec, faultParameters, isLinkFault, resolveTarget } from './fault-spec';
import { ActiveFault, createLinkFault } from './link-fault';
import { createProcessFault } from './process-fault';

import { NEMESIS_PROCESS } from '../history/history-types';

interface Injected {
  instance: ActiveFault;
  selfHealing: boolean;
  broker: BrokerHandle;
}

/**
 * Injects and heals a scenario's faults at their offsets, recording each in the history with its
 * parameters. Several faults may be active at once, on one broker or several. `healAll` ends every
 * fault still active (the end of the workload) and waits for timers in flight.
 */
export class FaultSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly active = new Map<FaultSpec, Injected>();
  private readonly work: Promise<void>[] = [];

  constructor(
    private readonly faults: FaultSpec[],
    private readonly cluster: StartedCluster,
    private readonly recorder: HistoryRecorder,
    private readonly leaders: Record<number, number>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Injects the faults due at 0, before the producer connects. */
  async start(): Promise<void> {
    for (const fault of this.faults.filter((f) => f.atMs <= 0)) await this.inject(fault);
  }

  /**
   * Schedules the rest once the producer is connected: offsets count from the start of the
   * workload, so "mid-run" means mid-run even for a client that takes seconds to start (a JVM).
   */
  scheduleFromWorkloadStart(): void {
    const workloadStartMs = this.recorder.now();
    for (const fault of this.faults) {
      if (fault.atMs > 0) this.later(workloadStartMs + fault.atMs, () => this.inject(fault));
      if (fault.healAtMs !== null) this.later(workloadStartMs + fault.healAtMs, () => this.heal(fault));
    }
  }

  async healAll(): Promise<void> {
    this.timers.forEach(clearTimeout);
    await Promise.allSettled(this.work);
    const open = [...this.active.keys()];
    // Link faults first (instant), then the process faults together (a broker start takes seconds).
    for (const fault of open.filter((f) => isLinkFault(f.kind))) await this.heal(fault);
    await Promise.all(open.filter((f) => !isLinkFault(f.kind)).map((f) => this.heal(f)));
  }

  private later(atMs: number, action: () => Promise<void>): void {
    const delayMs = Math.max(0, atMs - this.recorder.now());
    this.timers.push(setTimeout(() => this.work.push(action().catch(this.onError)), delayMs));
  }

  private brokerFor(fault: FaultSpec): BrokerHandle {
    const id = resolveTarget(fault.target, this.leaders);
    const broker = this.cluster.brokers.find((b) => b.id === id);
    if (!broker) throw new Error(`fault target ${fault.target}: no broker with id ${id}`);
    return broker;
  }

  private create(fault: FaultSpec, broker: BrokerHandle): { instance: ActiveFault; selfHealing: boolean } {
    if (!isLinkFault(fault.kind)) {
      const instance = createProcessFault(fault, this.cluster, broker.id);
      return { instance, selfHealing: instance.selfHealing };
    }
    const proxy = fault.link === 'replication' ? broker.replicationProxy : broker.proxy;
    if (!proxy) {
      throw new HarnessError(`fault ${fault.kind} on ${fault.target} (link replication): the ${this.cluster.backend} backend does not proxy replication`, {
        hint: 'replication link faults need the local backend, which puts a Toxiproxy proxy in front of every INTERNAL listener',
      });
    }
    return { instance: createLinkFault(fault, proxy, this.onError), selfHealing: false };
  }

  /**
   * What the history says about a fault: kind, target, broker, link and direction, parameters, and
   * the partitions the broker led at topic creation (the checker counts sends placed there while
   * the fault is on: exposedSends). A replication-link fault exposes no producer send.
   */
  private describe(fault: FaultSpec, broker: BrokerHandle): Record<string, unknown> {
    const link = isLinkFault(fault.kind)
      ? { link: fault.link ?? 'client', ...(DIRECTION_RULES[fault.kind].length > 0 ? { direction: fault.direction ?? DIRECTION_RULES[fault.kind][0] } : {}) }
      : {};
    const partitions = fault.link === 'replication' ? [] : Object.keys(this.leaders).map(Number).filter((p) => this.leaders[p] === broker.id);
    return { fault: fault.kind, target: fault.target, broker: broker.name, ...link, ...faultParameters(fault), partitions };
  }

  private async inject(fault: FaultSpec): Promise<void> {
    const broker = this.brokerFor(fault);
    const { instance, selfHealing } = this.create(fault, broker);
    await instance.inject();
    this.active.set(fault, { instance, selfHealing, broker });
    this.recorder.record(NEMESIS_PROCESS, 'info', 'inject', this.describe(fault, broker));
    if (selfHealing) this.work.push(this.heal(fault).catch(this.onError));
  }

  private async heal(fault: FaultSpec): Promise<void> {
    const injected = this.active.get(fault);
    if (!injected) return;
    this.active.delete(fault);
    const startedMs = this.recorder.now();
    await injected.instance.heal();
    const tookMs = this.recorder.now() - startedMs;
    // Process heals take seconds (a broker start): the op is recorded when the heal is complete.
    this.recorder.record(NEMESIS_PROCESS, 'info', 'heal', { ...this.describe(fault, injected.broker), ...(isLinkFault(fault.kind) ? {} : { tookMs }) });
  }
}
