import type { Proxy, Toxiproxy } from 'toxiproxy-node-client';
import { HarnessError } from '../errors';
import { LOOPBACK, type BrokerPorts } from '../cluster/broker-config';
import type { ClusterLane } from './cluster-lane';
import { FIRST_LANE, laneProxyName, parseLaneProxyName } from './lane-names';

/** @default 16 — each lane is three more listeners and proxies; more than the cores can keep busy. */
export const MAX_LANES = 16;

/** A lane count the local backend accepts: a whole number 1…MAX_LANES (undefined = 1). */
export function checkLaneCount(lanes: number | undefined): void {
  if (lanes === undefined) return;
  if (!Number.isInteger(lanes) || lanes < 1 || lanes > MAX_LANES) {
    throw new HarnessError(`lanes ${lanes} is not a whole number from 1 to ${MAX_LANES}`, { hint: `use e.g. --parallel 4 (at most ${MAX_LANES})` });
  }
}

/**
 * Lane 1 is the proxies the cluster already has (k1, k2, k3); lanes 2… get proxies k<id>-lane<n>
 * from their listen port to the broker's PROXIED_L<n> listener.
 */
export async function createLaneProxies(toxiproxy: Toxiproxy, brokers: BrokerPorts[], firstLane: Map<number, Proxy>): Promise<ClusterLane[]> {
  const lanes: ClusterLane[] = [{ index: FIRST_LANE, brokers: brokers.map((b) => ({ id: b.id, proxied: `${LOOPBACK}:${b.proxy}`, proxy: firstLane.get(b.id)! })) }];
  const extra = brokers[0]?.extraLanes?.length ?? 0;
  for (let i = 0; i < extra; i++) {
    const index = FIRST_LANE + 1 + i;
    const laneBrokers: ClusterLane['brokers'] = [];
    for (const b of brokers) {
      const ports = b.extraLanes![i];
      const proxy = await toxiproxy.createProxy({ name: laneProxyName(b.id, index), listen: `${LOOPBACK}:${ports.proxy}`, upstream: `${LOOPBACK}:${ports.proxied}` });
      laneBrokers.push({ id: b.id, proxied: `${LOOPBACK}:${ports.proxy}`, proxy });
    }
    lanes.push({ index, brokers: laneBrokers });
  }
  return lanes;
}

/**
 * The lanes of a cluster this process attached to (a shared test cluster, an external one whose
 * Toxiproxy has k<id>-lane<n> proxies): lane 1 from `brokers`, lanes 2… from the proxies' names.
 * Only lanes with a proxy for every broker count.
 */
export async function discoverLanes(toxiproxy: Toxiproxy, brokers: Array<{ id: number; proxied: string; proxy: Proxy }>): Promise<ClusterLane[]> {
  const lanes: ClusterLane[] = [{ index: FIRST_LANE, brokers: brokers.map((b) => ({ id: b.id, proxied: b.proxied, proxy: b.proxy })) }];
  const byLane = new Map<number, ClusterLane['brokers']>();
  for (const [name, proxy] of Object.entries(await toxiproxy.getAll())) {
    const parsed = parseLaneProxyName(name);
    if (!parsed || !brokers.some((b) => b.id === parsed.brokerId)) continue;
    const listen = proxy.listen.replace(/^(localhost|0\.0\.0\.0|\[::\])/, LOOPBACK);
    byLane.set(parsed.lane, [...(byLane.get(parsed.lane) ?? []), { id: parsed.brokerId, proxied: listen, proxy }]);
  }
  for (const [index, laneBrokers] of [...byLane].sort(([a], [b]) => a - b)) {
    if (laneBrokers.length === brokers.length) lanes.push({ index, brokers: laneBrokers.sort((a, b) => a.id - b.id) });
  }
  return lanes;
}
