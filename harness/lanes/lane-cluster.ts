import type { StartedCluster } from '../cluster/started-cluster';
import type { ClusterLane } from './cluster-lane';

interface ProxyState {
  enabled: boolean;
  toxics: Array<{ name: string }>;
}

/**
 * What Toxiproxy's /reset does (every proxy enabled, every toxic removed), for this lane's proxies
 * only: the other lanes' faults stay on.
 */
async function resetLane(cluster: StartedCluster, lane: ClusterLane): Promise<void> {
  await Promise.all(lane.brokers.map(async ({ proxy }) => {
    const path = `${cluster.toxiproxyUrl}/proxies/${proxy.name}`;
    const state = (await cluster.toxiproxy.api.get<ProxyState>(path)).data;
    for (const toxic of state.toxics ?? []) await cluster.toxiproxy.api.delete(`${path}/toxics/${toxic.name}`);
    if (!state.enabled) await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
  }));
}

/**
 * The cluster as a scenario in one lane sees it: its brokers' `proxied` / `proxy` are the lane's,
 * `resetProxies` resets the lane's proxies only, and nothing that acts on the whole cluster is
 * there (no replication proxies, no process control, `stop` leaves the cluster running): a
 * scenario that needs those runs alone on the cluster itself (lane-needs.ts). Packet faults act on
 * the lane's proxy ports, in a table of this view's own (packetTableFor keys by the handle).
 */
export function laneCluster(cluster: StartedCluster, lane: ClusterLane): StartedCluster {
  const brokers = cluster.brokers.map((b) => {
    const own = lane.brokers.find((l) => l.id === b.id);
    if (!own) throw new Error(`lane ${lane.index} has no proxy for broker k${b.id}`);
    return { id: b.id, name: b.name, direct: b.direct, proxied: own.proxied, proxy: own.proxy };
  });
  return {
    backend: cluster.backend,
    kafkaVersion: cluster.kafkaVersion,
    directBootstrap: cluster.directBootstrap,
    proxiedBootstrap: brokers.map((b) => b.proxied).join(','),
    toxiproxyUrl: cluster.toxiproxyUrl,
    toxiproxy: cluster.toxiproxy,
    brokers,
    lanes: [lane],
    workDir: cluster.workDir,
    brokerPids: cluster.brokerPids,
    createTopic: (name, options) => cluster.createTopic(name, options),
    deleteTopic: (name) => cluster.deleteTopic(name),
    partitionState: (name) => cluster.partitionState(name),
    resetProxies: () => resetLane(cluster, lane),
    stop: async () => {},
  };
}
