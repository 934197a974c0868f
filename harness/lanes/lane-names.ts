/**
 * Names of a client lane's pieces (a lane = one PROXIED listener per broker, each behind a Toxiproxy
 * proxy of its own). Lane 1 keeps the names a one-lane cluster has always had, so a one-lane
 * cluster is exactly the cluster of before; lanes 2… add PROXIED_L<n> and k<id>-lane<n>.
 */
export const FIRST_LANE = 1;

/** The Kafka listener of lane `lane`: PROXIED, PROXIED_L2, PROXIED_L3, … */
export function laneListenerName(lane: number): string {
  return lane === FIRST_LANE ? 'PROXIED' : `PROXIED_L${lane}`;
}

/** The Toxiproxy proxy in front of broker `brokerId`'s listener of lane `lane`: k1, k1-lane2, … */
export function laneProxyName(brokerId: number, lane: number): string {
  return lane === FIRST_LANE ? `k${brokerId}` : `k${brokerId}-lane${lane}`;
}

const LANE_PROXY = /^k([1-9]\d*)-lane([2-9]|[1-9]\d+)$/;

/** The broker id and lane of a lane proxy's name (lanes ≥ 2 only), else undefined. */
export function parseLaneProxyName(name: string): { brokerId: number; lane: number } | undefined {
  const match = LANE_PROXY.exec(name);
  return match ? { brokerId: Number(match[1]), lane: Number(match[2]) } : undefined;
}
