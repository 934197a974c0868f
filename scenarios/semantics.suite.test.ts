import { ANOMALY_COUNTS, ALLOWED, BREAKS, labelAnomalies } from '../harness/checker/guarantee-model';
import { COUNT_NAMES, CountName, Counts } from '../harness/checker/check-types';
import { evaluateSpec } from '../harness/checker/expectations';
import { defineScenario } from './define-scenario';
import type { Scenario } from './scenario';
import { SUITES } from './suites';

// Properties of the suite's data, each of which a careless edit could break: a scenario that shows
// nothing, pins an anomaly Kafka promises away, or does not pass the scenario validation.
const scenarios = SUITES.semantics();

const zeroCounts = COUNT_NAMES.reduce((all, name) => ({ ...all, [name]: 0 }), {} as Counts);
const modelInputs = (s: Scenario) => ({ ...s.config, faults: s.faults, mode: s.mode, client: s.client });
/** The model's label for one occurrence of `count` in this scenario's configuration. */
const labelOf = (s: Scenario, count: CountName) => labelAnomalies({ ...zeroCounts, [count]: 1 }, modelInputs(s)).labels[0]?.label;
/** Counts whose expectation fails when the count is 0: what the scenario claims to show. */
const shownCounts = (s: Scenario) => evaluateSpec(s.expect, zeroCounts).filter((r) => !r.pass).map((r) => r.count);
/** Anomaly counts the scenario pins at exactly 0. */
const pinnedAtZero = (s: Scenario) => evaluateSpec(s.expect, zeroCounts).filter((r) => r.op === 'eq' && r.value === 0).map((r) => r.count);
const isControl = (s: Scenario) => shownCounts(s).length === 0;
const byName = scenarios.map((s) => [s.name, s] as const);

test('names are unique and under semantics/, and every scenario says what it shows', () => {
  expect(scenarios.length).toBeGreaterThan(0);
  expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  for (const s of scenarios) {
    expect(s.name).toMatch(/^semantics\/[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(s.description?.trim()).toBeTruthy();
  }
});

test.each(byName)('%s passes defineScenario\'s validation as it stands (a resolved scenario is a fixed point)', (_, s) => {
  expect(defineScenario(s)).toEqual(s);
});

test.each(byName)('%s shows something (a bound that excludes 0), or is a control that pins at 0 what a sibling shows', (_, s) => {
  if (!isControl(s)) return;
  // A control runs the same faults as a scenario that shows an anomaly, and pins that anomaly at 0.
  const siblings = scenarios.filter((other) => other !== s && !isControl(other) && JSON.stringify(other.faults) === JSON.stringify(s.faults));
  const contrasted = siblings.flatMap(shownCounts).filter((count) => pinnedAtZero(s).includes(count));
  expect(contrasted).not.toEqual([]);
  // ...and the 0 is a promise the model makes for the control's configuration, not luck.
  for (const count of contrasted) expect(labelOf(s, count)).toBe(BREAKS);
});

test.each(byName)('%s never pins above 0 an anomaly that the guarantee model says Kafka promises away', (_, s) => {
  for (const count of shownCounts(s).filter((c) => ANOMALY_COUNTS.includes(c))) {
    expect({ count, label: labelOf(s, count) }).toEqual({ count, label: ALLOWED });
  }
});

test.each(byName)('%s: every fault starts while messages are still being produced', (_, s) => {
  const producingMs = (s.workload.messages / (s.workload.ratePerSec ?? Infinity)) * 1000;
  for (const f of s.faults) expect(f.atMs).toBeLessThan(producingMs);
});

test('each promise-covered anomaly is shown allowed by one scenario and kept at 0, as promised, under a fault by another', () => {
  const promised = ['lostAcked', 'duplicates', 'reordered'] as const;
  for (const count of promised) {
    const shownBy = scenarios.filter((s) => shownCounts(s).includes(count)).map((s) => s.name);
    const keptBy = scenarios.filter((s) => s.faults.length > 0 && pinnedAtZero(s).includes(count) && labelOf(s, count) === BREAKS).map((s) => s.name);
    expect({ count, shown: shownBy.length > 0, kept: keptBy.length > 0 }).toEqual({ count, shown: true, kept: true });
  }
});
