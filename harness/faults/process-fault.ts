import { HarnessError } from '../errors';
import type { StartedCluster } from '../cluster/started-cluster';
import type { ActiveFault } from './link-fault';
import { param } from './link-fault';
import { FaultSpec, ProcessFaultKind } from './fault-spec';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ProcessControl = Required<Pick<StartedCluster, 'stopBroker' | 'startBroker' | 'pauseBroker' | 'resumeBroker'>>;

/** A process fault: signals to one broker's JVM. `selfHealing` faults heal themselves right after injecting. */
export interface ProcessFault extends ActiveFault {
  readonly selfHealing: boolean;
}

function processControl(cluster: StartedCluster, fault: FaultSpec): ProcessControl {
  const { stopBroker, startBroker, pauseBroker, resumeBroker } = cluster;
  if (!stopBroker || !startBroker || !pauseBroker || !resumeBroker) {
    throw new HarnessError(`fault ${fault.kind} on ${fault.target}: the ${cluster.backend} backend cannot signal, stop or start brokers`, {
      hint: 'process faults (kill, stop, pause, restart) need the local backend: --backend local',
    });
  }
  return { stopBroker, startBroker, pauseBroker, resumeBroker };
}

/**
 * kill = SIGKILL, stop = SIGTERM (controlled shutdown), heal of both = start the broker again (same
 * config, same data dir) and wait until it is registered; pause = SIGSTOP, heal = SIGCONT;
 * restart = SIGTERM, downMs, start again: it heals itself.
 */
export function createProcessFault(fault: FaultSpec, cluster: StartedCluster, brokerId: number): ProcessFault {
  const control = processControl(cluster, fault);
  const kind = fault.kind as ProcessFaultKind;
  // Methods are called on the cluster object: a backend may rely on `this`.
  switch (kind) {
    case 'kill':
      return { selfHealing: false, inject: () => control.stopBroker.call(cluster, brokerId, 'SIGKILL'), heal: () => control.startBroker.call(cluster, brokerId) };
    case 'stop':
      return {
        selfHealing: false,
        inject: () => control.stopBroker.call(cluster, brokerId, 'SIGTERM', { graceMs: param(fault, 'graceMs') }),
        heal: () => control.startBroker.call(cluster, brokerId),
      };
    case 'pause':
      return { selfHealing: false, inject: () => control.pauseBroker.call(cluster, brokerId), heal: () => control.resumeBroker.call(cluster, brokerId) };
    case 'restart':
      return {
        selfHealing: true,
        inject: () => control.stopBroker.call(cluster, brokerId, 'SIGTERM', { graceMs: param(fault, 'graceMs') }),
        heal: async () => {
          await sleep(param(fault, 'downMs'));
          await control.startBroker.call(cluster, brokerId);
        },
      };
    default:
      throw new Error(`no process fault named ${JSON.stringify(fault.kind)}`);
  }
}
