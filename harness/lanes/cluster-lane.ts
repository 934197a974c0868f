import type { Proxy } from 'toxiproxy-node-client';

/** One client lane of a running cluster: a proxy in front of every broker's listener of that lane. */
export interface ClusterLane {
  /** 1, 2, …; lane 1 is the cluster's own PROXIED listener behind proxies k1, k2, k3. */
  index: number;
  brokers: Array<{
    id: number;
    /** host:port of the lane's proxy in front of this broker: what the lane's clients bootstrap at. */
    proxied: string;
    proxy: Proxy;
  }>;
}
