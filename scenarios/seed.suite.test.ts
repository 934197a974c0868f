import { COUNT_NAMES, Counts } from '../harness/checker/check-types';
import { evaluateSpec } from '../harness/checker/expectations';
import { BREAKS, labelAnomalies } from '../harness/checker/guarantee-model';
import { defineScenario } from './define-scenario';
import type { Scenario } from './scenario';
import { SUITES } from './suites';

// The seed's claim as data: the library alone loses what was headed for k1, the workaround and
// the resilient producer deliver (nearly) everything, nobody loses an acknowledged message; where
// kafkajs refutes the workaround under a blackhole, its scenarios claim the loss by name.
const seed = SUITES.seed();
const seedFull = SUITES['seed-full']();
const zeroCounts = COUNT_NAMES.reduce((all, name) => ({ ...all, [name]: 0 }), {} as Counts);
/** Counts whose expectation fails at 0: what the scenario claims to show. */
const shown = (s: Scenario) => evaluateSpec(s.expect, zeroCounts).filter((r) => !r.pass).map((r) => r.count);
const byName = seed.map((s) => [s.name, s] as const);

test('names are unique in seed and in seed-full; every seed scenario but the resilient ones is in seed-full, unchanged', () => {
  expect(new Set(seed.map((s) => s.name)).size).toBe(seed.length);
  expect(new Set(seedFull.map((s) => s.name)).size).toBe(seedFull.length);
  const full = new Map(seedFull.map((s) => [s.name, s]));
  for (const s of seed.filter((x) => x.mode !== 'resilient')) expect(full.get(s.name)).toEqual(s);
});

test.each(byName)('%s passes defineScenario\'s validation as it stands', (_, s) => {
  expect(defineScenario(s)).toEqual(s);
});

test.each(byName)('%s pins lostAcked and unexpected at 0, and the guarantee model promises both for its config', (_, s) => {
  expect(s.expect).toMatchObject({ lostAcked: 0, unexpected: 0 });
  const labels = labelAnomalies({ ...zeroCounts, lostAcked: 1, unexpected: 1 }, { ...s.config, faults: s.faults, mode: s.mode, client: s.client }).labels;
  expect(labels.map((l) => l.label)).toEqual([BREAKS, BREAKS]);
});

test.each(byName)('%s: every fault proves it touched the producer (but Java\'s sticky round-robin, which can miss p0); only the library alone (but Java\'s sticky round-robin: JAVA_STICKY_LIBRARY_LOSS, and kafkajs\'s refuted blackhole workaround) claims a loss', (_, s) => {
  const claims = shown(s);
  const fault = s.faults.length > 0;
  const refuted = s.client === 'kafkajs' && s.mode === 'workaround' && s.faults.some((f) => f.kind === 'blackhole');
  const javaSticky = s.client === 'java' && s.strategy === 'round-robin' && s.mode !== 'resilient'; // JAVA_STICKY_RESEND, JAVA_STICKY_LIBRARY_LOSS
  if (!fault) expect(claims).toEqual([]);
  else if (javaSticky) expect(claims).toEqual([]);
  else if (s.mode === 'library-only') expect(claims.sort()).toEqual(['exposedSends', 'undelivered']);
  else if (s.mode === 'workaround') expect(claims.sort()).toEqual(refuted ? ['exposedSends', 'undelivered'] : ['exposedSends', 'resends']);
  else expect(claims).toEqual(s.strategy === 'round-robin' ? [] : ['exposedSends']); // resilient: no loss claimed
});

test('every client has a no-fault control that must deliver everything', () => {
  for (const client of new Set(seed.map((s) => s.client))) {
    const controls = seed.filter((s) => s.client === client && s.faults.length === 0);
    expect(controls.length).toBeGreaterThan(0);
    // Refuted for Confluent's client, and pinned so by name (CONFLUENT_CONTROL_LOSS in seed-expectations.ts).
    for (const c of controls) expect(c.expect).toMatchObject({ undelivered: client === 'confluent' ? { lte: 8 } : 0 });
  }
});
