import type { Proxy } from 'toxiproxy-node-client';
import { Direction, DIRECTION_RULES, FAULT_PARAMETERS, FaultParameterName, FaultSpec, LinkFaultKind } from './fault-spec';

/** One fault instance, switched on and off once (DESIGN.md: small interfaces). */
export interface ActiveFault {
  inject(): Promise<void>;
  heal(): Promise<void>;
}

type Stream = 'upstream' | 'downstream';
interface ToxicSpec {
  type: 'timeout' | 'latency' | 'bandwidth' | 'reset_peer' | 'slow_close' | 'slicer' | 'limit_data';
  attributes: Record<string, number>;
}

const setEnabled = (proxy: Proxy, enabled: boolean) => proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });

/** A parameter's value, or its default (defineScenario fills them in; a hand-built spec may not). */
export const param = (fault: FaultSpec, name: FaultParameterName): number => fault[name] ?? FAULT_PARAMETERS[fault.kind][name]?.default ?? 0;

/** The Toxiproxy toxic behind each toxic-based link fault (attribute names as Toxiproxy spells them). */
const TOXICS: Partial<Record<LinkFaultKind, (fault: FaultSpec) => ToxicSpec>> = {
  // timeout 0: the connection stays open and nothing passes: what is sent meanwhile is dropped, not held
  // (Toxiproxy 2.12 toxics/timeout.go), and removing the toxic CLOSES the connection (its Cleanup closes
  // the stub). So nothing sent during the fault arrives at heal: the client sees a closed connection and
  // anything it then sends again goes on a new one.
  blackhole: () => ({ type: 'timeout', attributes: { timeout: 0 } }),
  'ack-loss': () => ({ type: 'timeout', attributes: { timeout: 0 } }),
  latency: (f) => ({ type: 'latency', attributes: { latency: param(f, 'latencyMs'), jitter: param(f, 'jitterMs') } }),
  bandwidth: (f) => ({ type: 'bandwidth', attributes: { rate: param(f, 'rateKBps') } }),
  'reset-peer': (f) => ({ type: 'reset_peer', attributes: { timeout: param(f, 'timeoutMs') } }),
  'slow-close': (f) => ({ type: 'slow_close', attributes: { delay: param(f, 'delayMs') } }),
  slicer: (f) => ({
    type: 'slicer',
    attributes: { average_size: param(f, 'averageSizeBytes'), size_variation: param(f, 'sizeVariationBytes'), delay: param(f, 'delayUs') },
  }),
  'limit-data': (f) => ({ type: 'limit_data', attributes: { bytes: param(f, 'bytes') } }),
};

export function streamsOf(kind: LinkFaultKind, direction: Direction | undefined): Stream[] {
  const chosen = direction ?? DIRECTION_RULES[kind][0] ?? 'both';
  return chosen === 'both' ? ['upstream', 'downstream'] : [chosen];
}

let toxicCounter = 0;

/** A toxic-based fault: one toxic per stream, named uniquely so that faults can overlap on one proxy. */
function toxicFault(fault: FaultSpec, proxy: Proxy, toxic: ToxicSpec): ActiveFault {
  const id = ++toxicCounter;
  const names = streamsOf(fault.kind as LinkFaultKind, fault.direction).map((stream) => ({ stream, name: `kchaos-${fault.kind}-${stream}-${id}` }));
  return {
    inject: async () => {
      for (const { stream, name } of names) {
        await proxy.addToxic({ name, type: toxic.type, stream, toxicity: 1, attributes: toxic.attributes });
      }
    },
    heal: async () => {
      for (const { name } of names) {
        const existing = await proxy.getToxic(name).catch(() => undefined);
        await existing?.remove();
      }
    },
  };
}

/** refuse: the proxy is disabled (connections refused, open ones closed) until healed. */
function refuseFault(proxy: Proxy): ActiveFault {
  return { inject: async () => void (await setEnabled(proxy, false)), heal: async () => void (await setEnabled(proxy, true)) };
}

/** flap: disabled for periodMs, enabled for periodMs, … until healed, which leaves it enabled. */
function flapFault(fault: FaultSpec, proxy: Proxy, onError: (error: unknown) => void): ActiveFault {
  const periodMs = param(fault, 'periodMs');
  let timer: NodeJS.Timeout | undefined;
  let healed = false;
  let switching: Promise<unknown> = Promise.resolve();
  const cycle = (enabled: boolean) => {
    if (healed) return;
    switching = setEnabled(proxy, enabled).catch(onError);
    timer = setTimeout(() => cycle(!enabled), periodMs);
  };
  return {
    inject: async () => {
      cycle(false);
      await switching;
    },
    heal: async () => {
      healed = true;
      clearTimeout(timer);
      await switching;
      await setEnabled(proxy, true);
    },
  };
}

/** The fault instance for a link fault spec on `proxy` (the client or the replication proxy of the target). */
export function createLinkFault(fault: FaultSpec, proxy: Proxy, onError: (error: unknown) => void): ActiveFault {
  const kind = fault.kind as LinkFaultKind;
  if (kind === 'refuse') return refuseFault(proxy);
  if (kind === 'flap') return flapFault(fault, proxy, onError);
  const toxic = TOXICS[kind];
  if (!toxic) throw new Error(`no link fault named ${JSON.stringify(fault.kind)}`);
  return toxicFault(fault, proxy, toxic(fault));
}
