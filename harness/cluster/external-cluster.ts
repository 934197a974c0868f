import { Toxiproxy } from 'toxiproxy-node-client';
import { HarnessError } from '../errors';
import { BrokerHandle, StartedCluster } from './started-cluster';
import { TopicAdmin } from './topic-admin';

/** Where a cluster the harness did not start can be reached (the JSON `kchaos cluster up` prints). */
export interface ExternalClusterAddress {
  directBootstrap: string;
  proxiedBootstrap?: string;
  /** Base URL of the Toxiproxy API whose proxies sit between the producer and each broker. */
  toxiproxy: string;
  /** Broker id → the Toxiproxy proxy name in front of it. @default "k<id>" */
  proxies?: Record<number, string>;
  kafkaVersion?: string;
}

/**
 * The external backend: drives a running cluster through an existing Toxiproxy. It never stops
 * brokers it did not start; `stop()` only closes its own connections.
 */
export async function connectExternalCluster(address: ExternalClusterAddress, backend: StartedCluster['backend'] = 'external'): Promise<StartedCluster> {
  const toxiproxy = new Toxiproxy(address.toxiproxy);
  const proxies = await toxiproxy.getAll().catch((error: unknown) => {
    throw new HarnessError(`cannot reach the Toxiproxy API at ${address.toxiproxy}`, { cause: error, hint: 'start toxiproxy-server and pass its URL with --toxiproxy' });
  });
  const bootstrapAdmin = new TopicAdmin(address.directBootstrap, []);
  const ids = await bootstrapAdmin.liveBrokerIds().finally(() => bootstrapAdmin.close());
  const brokers: BrokerHandle[] = ids.map((id) => {
    const name = address.proxies?.[id] ?? `k${id}`;
    const proxy = proxies[name];
    if (!proxy) throw new HarnessError(`no Toxiproxy proxy named ${name} for broker ${id}`, { hint: `create it, or map broker ${id} to a proxy name with --proxy-map` });
    const listen = proxy.listen.replace(/^(localhost|0\.0\.0\.0|\[::\])/, '127.0.0.1');
    return { id, name: `k${id}`, direct: '', proxied: listen, proxy };
  });
  const admin = new TopicAdmin(address.directBootstrap, ids);
  return {
    backend,
    kafkaVersion: address.kafkaVersion ?? 'unknown',
    directBootstrap: address.directBootstrap,
    proxiedBootstrap: address.proxiedBootstrap ?? brokers.map((b) => b.proxied).join(','),
    toxiproxyUrl: address.toxiproxy,
    toxiproxy,
    brokers,
    workDir: '',
    createTopic: (name, options) => admin.createTopic(name, options),
    deleteTopic: (name) => admin.deleteTopic(name),
    partitionState: (name) => admin.partitionState(name),
    resetProxies: () => toxiproxy.reset(),
    stop: () => admin.close(),
  };
}
