import fs from 'node:fs';
import path from 'node:path';
import { parseExpectations } from '../harness/checker/expectations';
import type { MeasuredSummary } from '../reports/measured-table';
import { SUITES } from './suites';

// Pins set from evidence: every seed pin must hold over the whole measured range of its count
// (docs/measured/seed-repeat.json, kchaos run seed --repeat 10), and must not be much looser than
// that range, so a pin can still catch a regression.
const measured = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'measured', 'seed-repeat.json'), 'utf8')) as MeasuredSummary;
const byName = new Map(measured.scenarios.map((s) => [s.name, s]));
const seed = SUITES.seed();

const PROOF_COUNTS = ['exposedSends', 'resends'];

/** A bound may sit this far outside the measured range: 50 % of the range's end, plus 10 messages. */
const slack = (value: number) => Math.ceil(value * 0.5) + 10;

test('the measured file covers every seed scenario, each run at least 5 times', () => {
  expect(seed.map((s) => s.name).filter((name) => (byName.get(name)?.runs ?? 0) < 5)).toEqual([]);
});

test.each(seed.map((s) => [s.name, s] as const))('%s: every pin holds over the measured range and sits just outside it', (name, scenario) => {
  const ranges = byName.get(name)!.ranges;
  for (const clause of parseExpectations(scenario.expect)) {
    const [min, , max] = ranges[clause.count];
    const where = `${name} ${clause.count} ${clause.op} ${clause.value}, measured ${min}–${max}`;
    switch (clause.op) {
      case 'eq':
        expect({ where, min, max }).toEqual({ where, min: clause.value, max: clause.value });
        break;
      case 'lte':
      case 'lt':
        expect({ where, holds: clause.op === 'lte' ? max <= clause.value : max < clause.value }).toEqual({ where, holds: true });
        expect({ where, tight: clause.value <= max + slack(max) }).toEqual({ where, tight: true });
        break;
      case 'gte':
      case 'gt':
        expect({ where, holds: clause.op === 'gte' ? min >= clause.value : min > clause.value }).toEqual({ where, holds: true });
        // "> 0" on a proof count (the fault touched the producer, the workaround resent) is a yes/no claim.
        if (PROOF_COUNTS.includes(clause.count) && clause.op === 'gt' && clause.value === 0) break;
        expect({ where, tight: clause.value >= min - slack(min) }).toEqual({ where, tight: true });
        break;
    }
  }
});
