import { defineScenario } from './define-scenario';
import { PARTITION_SUITE_FAULTS } from './partitions.suite';
import { SUITES } from './suites';

const partitions = SUITES.partitions();
const seedFull = new Map(SUITES['seed-full']().map((s) => [s.name, s]));
const byName = partitions.map((s) => [s.name, s] as const);
const packet = (kind: string) => kind === 'partition' || kind === 'partition-oneway';

test('every client × strategy × library-only/workaround × fault, k1 cut from the start, each once', () => {
  expect(partitions).toHaveLength(3 * 3 * 2 * PARTITION_SUITE_FAULTS.length);
  expect(new Set(partitions.map((s) => s.name)).size).toBe(partitions.length);
  for (const s of partitions) {
    expect(s.name).toMatch(/^partitions\/(kafkajs|node-rdkafka|java)\/(round-robin|hashing|manual)\/(library-only|workaround)\/(refuse|blackhole|partition|partition-oneway)-k1$/);
    expect(s.faults).toEqual([expect.objectContaining({ target: 'k1', atMs: 0, healAtMs: null, link: 'client' })]);
  }
});

test('refuse and blackhole rows are the seed scenarios themselves, renamed: same workload, settings and pins', () => {
  for (const s of partitions.filter((x) => !packet(x.faults[0].kind))) {
    expect({ ...s, name: s.name.replace(/^partitions\//, 'seed/') }).toEqual(seedFull.get(s.name.replace(/^partitions\//, 'seed/')));
  }
});

test('packet rows differ from the blackhole row only in the fault and in claiming what a run could break', () => {
  for (const s of partitions.filter((x) => packet(x.faults[0].kind))) {
    const blackhole = partitions.find((b) => b.name === s.name.replace(/(partition|partition-oneway)-k1$/, 'blackhole-k1'))!;
    expect({ ...s, name: '', description: '', faults: [], expect: {} }).toEqual({ ...blackhole, name: '', description: '', faults: [], expect: {} });
    expect(s.faults[0]).toMatchObject({ onHeal: 'resume' });
    const claims = { lostAcked: 0, unexpected: 0, exposedSends: { gt: 0 } };
    const stickyWorkaround = s.client === 'java' && s.strategy === 'round-robin' && s.mode === 'workaround';
    expect(s.expect).toEqual(s.mode === 'library-only' ? { ...claims, undelivered: { gt: 0 } } : stickyWorkaround ? { lostAcked: 0, unexpected: 0 } : claims);
  }
});

test.each(byName)('%s passes defineScenario\'s validation as it stands', (_, s) => {
  expect(defineScenario(s)).toEqual(s);
});
