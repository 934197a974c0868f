import { laneListenerName } from '../lanes/lane-names';

/**
 * The listener plan of every broker, whatever runs it (DESIGN.md, topology): four listeners, each
 * with one job, and PROXIED advertised at the Toxiproxy proxy in front of it. The local backend
 * (server.properties) and the docker backend / docker-compose.yml (container environment) both
 * derive their listener settings from `listenerPlan`; only the addresses differ.
 *
 * | listener   | who uses it                          | advertised as                                  |
 * |------------|--------------------------------------|------------------------------------------------|
 * | CONTROLLER | KRaft quorum                         | not advertised; named in controller.quorum.voters |
 * | INTERNAL   | replication between brokers          | itself, or its replication proxy when there is one |
 * | DIRECT     | verifier, admin, topic set-up        | itself (an address the harness reaches)        |
 * | PROXIED    | the producer under test              | the proxy in front of it, never itself         |
 */
export const LISTENER_NAMES = ['CONTROLLER', 'INTERNAL', 'DIRECT', 'PROXIED'] as const;
export type ListenerName = (typeof LISTENER_NAMES)[number];

/** Where one broker's listeners bind and what it advertises, as host:port strings. */
export interface ListenerEndpoints {
  id: number;
  /** host:port each listener binds to. */
  bind: { controller: string; internal: string; direct: string; proxied: string };
  /**
   * host:port each listener is advertised as. A client is answered with the endpoints of the
   * listener it came in on: a client that came in through a proxy only ever learns proxy addresses.
   */
  advertised: { internal: string; direct: string; proxied: string };
  /** host:port at which the other nodes reach this node's CONTROLLER listener. */
  controller: string;
  /**
   * Client lanes 2… (local backend, `--parallel`): one more PROXIED_L<n> listener each, bound at
   * `bind` and advertised at its own proxy (`advertised`). Absent or empty: one lane, PROXIED.
   */
  extraLanes?: Array<{ bind: string; advertised: string }>;
}

/** The listener and quorum settings of one broker+controller node, keyed by Kafka property name. */
export function listenerPlan(broker: ListenerEndpoints, all: ListenerEndpoints[]): Record<string, string | number> {
  // Lane n ≥ 2 is PROXIED_L<n>: a client that came in through lane n's proxies only learns lane n's.
  const lanes = (broker.extraLanes ?? []).map((lane, i) => ({ name: laneListenerName(i + 2), ...lane }));
  return {
    'process.roles': 'broker,controller',
    'node.id': broker.id,
    'controller.quorum.voters': all.map((b) => `${b.id}@${b.controller}`).join(','),
    listeners: [
      `CONTROLLER://${broker.bind.controller}`,
      `INTERNAL://${broker.bind.internal}`,
      `DIRECT://${broker.bind.direct}`,
      `PROXIED://${broker.bind.proxied}`,
      ...lanes.map((l) => `${l.name}://${l.bind}`),
    ].join(','),
    // PROXIED clients only ever learn proxy addresses, so cutting a proxy cuts that client from that broker.
    'advertised.listeners': [
      `INTERNAL://${broker.advertised.internal}`,
      `DIRECT://${broker.advertised.direct}`,
      `PROXIED://${broker.advertised.proxied}`,
      ...lanes.map((l) => `${l.name}://${l.advertised}`),
    ].join(','),
    'listener.security.protocol.map': [...LISTENER_NAMES, ...lanes.map((l) => l.name)].map((name) => `${name}:PLAINTEXT`).join(','),
    'inter.broker.listener.name': 'INTERNAL',
    'controller.listener.names': 'CONTROLLER',
  };
}
