import { HarnessError } from '../errors';
import type { BrokerHandle, StartedCluster } from '../cluster/started-cluster';
import { HistoryRecorder } from '../history/history-recorder';
import { findCoordinator } from '../cluster/find-coordinator';
import { actsOnLink, DIRECTION_RULES, FaultSpec, faultParameters, isLinkFault, isPacketFault, isProcessFault } from './fault-spec';
import { CoordinatorTable, coordinatorTargets, resolveTarget } from './fault-target';
import { ActiveFault, createLinkFault } from './link-fault';
import { createProcessFault } from './process-fault';
import { dropConnections } from './drop-connections';
import { packetEndpoint } from './packet-endpoint';
import { createPacketFault, healModeOf } from './packet-fault';
import { requirePacketFaults } from './packet-support';
import { packetTableFor } from './packet-table';

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
  private readonly coordinatorTable: Record<string, number> = {};

  constructor(
    private readonly faults: FaultSpec[],
    private readonly cluster: StartedCluster,
    private readonly recorder: HistoryRecorder,
    private readonly leaders: Record<number, number>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Checks that packet faults can run (one error naming what is missing, before anything is
   * injected), looks up the brokers of coordinator targets, removes packet rules an earlier
   * scenario on this cluster may have left, then injects the faults due at 0, before the producer
   * connects.
   */
  async start(): Promise<void> {
    const packetKinds = this.faults.filter((f) => isPacketFault(f.kind)).map((f) => f.kind);
    if (packetKinds.length > 0) {
      requirePacketFaults(packetKinds);
      await packetTableFor(this.cluster).remove();
    }
    for (const { target, type, key } of coordinatorTargets(this.faults.map((f) => f.target))) {
      this.coordinatorTable[target] = await findCoordinator(this.cluster.directBootstrap, type, key);
    }
    for (const fault of this.faults.filter((f) => f.atMs <= 0)) await this.inject(fault);
  }

  /** The brokers coordinator targets resolved to at start, by target. */
  coordinators(): CoordinatorTable {
    return { ...this.coordinatorTable };
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
    // Link and packet faults first (instant), then the process faults together (a broker start takes seconds).
    for (const fault of open.filter((f) => actsOnLink(f.kind))) await this.heal(fault);
    await Promise.all(open.filter((f) => !actsOnLink(f.kind)).map((f) => this.heal(f)));
  }

  private later(atMs: number, action: () => Promise<void>): void {
    const delayMs = Math.max(0, atMs - this.recorder.now());
    this.timers.push(setTimeout(() => this.work.push(action().catch(this.onError)), delayMs));
  }

  private brokerFor(fault: FaultSpec): BrokerHandle {
    const id = resolveTarget(fault.target, this.leaders, this.coordinatorTable);
    const broker = this.cluster.brokers.find((b) => b.id === id);
    if (!broker) throw new Error(`fault target ${fault.target}: no broker with id ${id}`);
    return broker;
  }

  private create(fault: FaultSpec, broker: BrokerHandle): { instance: ActiveFault; selfHealing: boolean } {
    if (isProcessFault(fault.kind)) {
      const instance = createProcessFault(fault, this.cluster, broker.id);
      return { instance, selfHealing: instance.selfHealing };
    }
    if (isPacketFault(fault.kind)) return { instance: this.createPacketFault(fault, broker), selfHealing: false };
    const proxy = fault.link === 'replication' ? broker.replicationProxy : broker.proxy;
    if (!proxy) {
      throw new HarnessError(`fault ${fault.kind} on ${fault.target} (link replication): the ${this.cluster.backend} backend does not proxy replication`, {
        hint: 'replication link faults need the local backend, which puts a Toxiproxy proxy in front of every INTERNAL listener',
      });
    }
    return { instance: createLinkFault(fault, proxy, this.onError), selfHealing: false };
  }

  /**
   * A packet fault acts on the packets to and from the proxy the link goes through: the producer's
   * (the address it was advertised, broker.proxied) or the replication proxy's listen address.
   */
  private createPacketFault(fault: FaultSpec, broker: BrokerHandle): ActiveFault {
    const where = `fault ${fault.kind} on ${fault.target} (link ${fault.link ?? 'client'})`;
    const address = fault.link === 'replication' ? broker.replicationProxy?.listen : broker.proxied;
    if (!address) {
      throw new HarnessError(`${where}: the ${this.cluster.backend} backend does not proxy replication`, {
        hint: 'replication link faults need the local backend, which puts a Toxiproxy proxy in front of every INTERNAL listener',
      });
    }
    return createPacketFault(fault, packetTableFor(this.cluster), packetEndpoint(address, where), dropConnections);
  }

  /**
   * What the history says about a fault: kind, target, broker, link and direction, parameters, and
   * the partitions the broker led at topic creation (the checker counts sends placed there while
   * the fault is on: exposedSends). A replication-link fault exposes no producer send.
   */
  private describe(fault: FaultSpec, broker: BrokerHandle): Record<string, unknown> {
    const link = isLinkFault(fault.kind)
      ? { link: fault.link ?? 'client', ...(DIRECTION_RULES[fault.kind].length > 0 ? { direction: fault.direction ?? DIRECTION_RULES[fault.kind][0] } : {}) }
      : isPacketFault(fault.kind)
        ? { link: fault.link ?? 'client', ...(healModeOf(fault) ? { onHeal: healModeOf(fault) } : {}) }
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
    this.recorder.record(NEMESIS_PROCESS, 'info', 'heal', { ...this.describe(fault, injected.broker), ...(isProcessFault(fault.kind) ? { tookMs } : {}) });
  }
}
