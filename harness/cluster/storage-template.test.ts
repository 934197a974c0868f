import { brokerProperties, BrokerPorts } from './broker-config';
import { canonicalProperties, clusterIdOf, templateKey } from './storage-template';

const install = { version: '4.3.1', classpath: '/cache/kafka-4.3.1/libs/*' };
const brokersAt = (base: number): BrokerPorts[] => [1, 2, 3].map((id, i) => {
  const p = base + i * 10;
  return { id, controller: p, internal: p + 1, direct: p + 2, proxied: p + 3, proxy: p + 4, replicationProxy: p + 5 };
});
const nodesOf = (brokers: BrokerPorts[], workDir: string) => brokers.map((b) => {
  const dataDir = `${workDir}/data/k${b.id}`;
  return { nodeId: b.id, text: brokerProperties(b, brokers, dataDir), dataDir };
});

describe('storage template key', () => {
  test('the same for two starts that differ only in ports and run folder', () => {
    expect(templateKey(install, nodesOf(brokersAt(30000), '/runs/a'))).toBe(templateKey(install, nodesOf(brokersAt(41000), '/runs/b')));
  });

  test('differs for another Kafka install, another node set, or another broker setting', () => {
    const key = templateKey(install, nodesOf(brokersAt(30000), '/runs/a'));
    expect(templateKey({ ...install, version: '3.9.1' }, nodesOf(brokersAt(30000), '/runs/a'))).not.toBe(key);
    expect(templateKey({ ...install, classpath: '/opt/kafka/libs/*' }, nodesOf(brokersAt(30000), '/runs/a'))).not.toBe(key);
    expect(templateKey(install, nodesOf(brokersAt(30000), '/runs/a').slice(0, 2))).not.toBe(key);
    const changed = nodesOf(brokersAt(30000), '/runs/a').map((n) => ({ ...n, text: `${n.text}num.io.threads=8\n` }));
    expect(templateKey(install, changed)).not.toBe(key);
    // Lanes add listeners: a laned cluster gets a template of its own.
    const laned = brokersAt(30000).map((b) => ({ ...b, extraLanes: [{ proxied: b.controller + 6, proxy: b.controller + 7 }] }));
    expect(templateKey(install, nodesOf(laned, '/runs/a'))).not.toBe(key);
  });

  test('canonical properties blank ports and the data dir, nothing else', () => {
    const text = 'node.id=1\nlisteners=CONTROLLER://127.0.0.1:4001,DIRECT://127.0.0.1:4002\ncontroller.quorum.voters=1@127.0.0.1:4001\nlog.dirs=/runs/a/data/k1\nnum.partitions=3\n';
    expect(canonicalProperties(text, '/runs/a/data/k1')).toBe(
      'node.id=1\nlisteners=CONTROLLER://127.0.0.1:<port>,DIRECT://127.0.0.1:<port>\ncontroller.quorum.voters=1@127.0.0.1:<port>\nlog.dirs=<dataDir>\nnum.partitions=3\n',
    );
  });

  test('the cluster id is a valid Kafka cluster id (16 bytes base64url, no leading dash), fixed per key', () => {
    for (const key of ['0123456789abcdef', 'ffffffffffffffff', 'a1b2c3d4e5f60718']) {
      const id = clusterIdOf(key);
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
      expect(clusterIdOf(key)).toBe(id);
    }
    expect(clusterIdOf('0123456789abcdef')).not.toBe(clusterIdOf('ffffffffffffffff'));
  });
});
