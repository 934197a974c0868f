import fs from 'node:fs';
import path from 'node:path';
import type { MeasuredSummary } from '../reports/measured-table';
import { SUITES } from './suites';
import { expectPinsFitEveryRow, measuredByName } from './testing/pin-fits-measured';

// Pins set from evidence: every seed pin must hold over the whole measured range of its count
// (docs/measured/seed-repeat.json, kchaos run seed --repeat 10), and must not be much looser than
// that range, so a pin can still catch a regression.
const measured = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'measured', 'seed-repeat.json'), 'utf8')) as MeasuredSummary;
const byName = measuredByName(measured);
const seed = SUITES.seed();

test('the measured file covers every seed scenario, each run at least 5 times', () => {
  expect(seed.map((s) => s.name).filter((name) => (byName.get(name)?.runs ?? 0) < 5)).toEqual([]);
});

test.each(seed.map((s) => [s.name, s] as const))('%s: every pin holds over the measured range and sits just outside it', (name, scenario) => {
  expectPinsFitEveryRow(name, scenario.expect, measured);
});
