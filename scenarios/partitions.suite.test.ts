import { defineScenario } from './define-scenario';
import { PARTITION_SUITE_FAULTS, partitionsCases, partitionsScenario } from './partitions.suite';
import { isPartitionsMeasuredCase } from './partitions-expectations';
import { SUITES } from './suites';
import { MID_RUN_FAULT_AT_MS } from './seed.suite';
import { CLIENT_NAMES } from './scenario';

const partitions = SUITES.partitions();
const seedFull = new Map(SUITES['seed-full']().map((s) => [s.name, s]));
const byName = partitions.map((s) => [s.name, s] as const);
const packet = (kind: string) => kind === 'partition' || kind === 'partition-oneway';

test('every client × strategy × library-only/workaround × fault cut from the start, and library-only cut mid-run, each once', () => {
  expect(partitions).toHaveLength(CLIENT_NAMES.length * 3 * (2 * PARTITION_SUITE_FAULTS.length + 3));
  expect(new Set(partitions.map((s) => s.name)).size).toBe(partitions.length);
  for (const s of partitions) {
    expect(s.name).toMatch(/^partitions\/[a-z-]+\/(round-robin|hashing|manual)\/((library-only|workaround)\/(refuse|blackhole|partition|partition-oneway)-k1|library-only\/(blackhole|partition|partition-oneway)-k1-midrun)$/);
    const midRun = s.name.endsWith('-midrun');
    expect(s.faults).toEqual([expect.objectContaining({ target: 'k1', atMs: midRun ? MID_RUN_FAULT_AT_MS : 0, healAtMs: null, link: 'client' })]);
  }
});

test('refuse and blackhole rows are the seed scenarios themselves, renamed: same workload and settings; the seed\'s pins where the seed measures them', () => {
  const ownPins = new Set(partitionsCases().filter(isPartitionsMeasuredCase).map((c) => partitionsScenario(c).name));
  for (const s of partitions.filter((x) => !packet(x.faults[0].kind))) {
    const seedTwin = seedFull.get(s.name.replace(/^partitions\//, 'seed/'))!;
    const pins = ownPins.has(s.name) ? seedTwin.expect : s.expect; // refuse under hashing and manual: partitions-expectations.ts
    expect({ ...s, name: seedTwin.name, expect: pins }).toEqual(seedTwin);
  }
});

test('packet rows differ from the blackhole row only in the fault; rows nobody measured claim only what a run could break', () => {
  const unmeasured = new Set(partitionsCases().filter((c) => !isPartitionsMeasuredCase(c)).map((c) => partitionsScenario(c).name));
  for (const s of partitions.filter((x) => packet(x.faults[0].kind))) {
    const blackhole = partitions.find((b) => b.name === s.name.replace(/(partition|partition-oneway)-k1/, 'blackhole-k1'))!;
    expect({ ...s, name: '', description: '', faults: [], expect: {} }).toEqual({ ...blackhole, name: '', description: '', faults: [], expect: {} });
    expect(s.faults[0]).toMatchObject({ onHeal: 'resume' });
    if (!unmeasured.has(s.name)) continue; // pinned from evidence: partitions-expectations.test.ts
    const claims = { lostAcked: 0, unexpected: 0, exposedSends: { gt: 0 } };
    const stickyWorkaround = s.client === 'java' && s.strategy === 'round-robin' && s.mode === 'workaround';
    expect(s.expect).toEqual(s.mode === 'library-only' ? { ...claims, undelivered: { gt: 0 } } : stickyWorkaround ? { lostAcked: 0, unexpected: 0 } : claims);
  }
});

test.each(byName)('%s passes defineScenario\'s validation as it stands', (_, s) => {
  expect(defineScenario(s)).toEqual(s);
});
