import * as tc from 'testcontainers';
import type { StartedNetwork } from 'testcontainers';
import { containerFor } from './docker-cluster';
import { dockerTopology, portPlanFrom, TOXIPROXY_CONFIG_PATH } from './docker-definitions';

// No engine needed: what containerFor hands testcontainers, before anything is started. The
// loopback binding reaches into GenericContainer's hostConfig, so this pins that against the
// installed testcontainers version.
const plan = portPlanFrom([41000, 41001, 41002, 41003, 41004, 41005, 41006, 41007, 41008, 41009]);
const topology = dockerTopology(plan, { clusterId: 'AAAAAAAAAAAAAAAAAAAAAA' });
const network = { getName: () => 'kchaos-test-net' } as unknown as StartedNetwork;

interface Internals {
  hostConfig: { PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }>> };
  createOpts: { ExposedPorts?: Record<string, object>; Env?: string[]; Cmd?: string[]; Hostname?: string; Image?: string };
  networkAliases: string[];
  networkMode?: string;
  contentsToCopy: Array<{ content: string; target: string }>;
}
const internals = (def: (typeof topology.brokers)[number]) => containerFor(tc, def, network, '/dev/null') as unknown as Internals;

test('a broker container: DIRECT published on 127.0.0.1 only, the environment, its name on the network', () => {
  const k1 = internals(topology.brokers[0]);
  expect(k1.createOpts.Image).toBe('apache/kafka:4.3.1');
  expect(k1.createOpts.ExposedPorts).toEqual({ '9092/tcp': {} });
  expect(k1.hostConfig.PortBindings).toEqual({ '9092/tcp': [{ HostIp: '127.0.0.1', HostPort: String(plan.brokers[0].direct) }] });
  expect(k1.createOpts.Env).toEqual(Object.entries(topology.brokers[0].environment).map(([k, v]) => `${k}=${v}`));
  expect(k1.networkMode).toBe('kchaos-test-net');
  expect(k1.networkAliases).toEqual(['k1']);
  expect(k1.createOpts.Hostname).toBe('k1');
  expect(k1.createOpts.Cmd).toBeUndefined(); // the image's own start script
});

test('the Toxiproxy container: API and proxies published 1:1 on 127.0.0.1, its command and config file', () => {
  const t = internals(topology.toxiproxy);
  const published = [plan.toxiproxyApi, ...plan.brokers.map((b) => b.proxy)];
  expect(t.hostConfig.PortBindings).toEqual(Object.fromEntries(published.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(p) }]])));
  expect(Object.keys(t.createOpts.ExposedPorts ?? {}).sort()).toEqual(published.map((p) => `${p}/tcp`).sort());
  expect(t.createOpts.Cmd).toEqual(['-host=0.0.0.0', `-port=${plan.toxiproxyApi}`, `-config=${TOXIPROXY_CONFIG_PATH}`]);
  expect(t.contentsToCopy).toEqual([{ content: topology.toxiproxy.files[0].content, target: TOXIPROXY_CONFIG_PATH }]);
  expect(t.networkAliases).toEqual(['toxiproxy']);
});
