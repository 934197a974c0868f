import fs from 'node:fs';
import path from 'node:path';
import type { MeasuredSummary } from '../reports/measured-table';
import { isPartitionsMeasuredCase, partitionsExpectations } from './partitions-expectations';
import { partitionsCases, partitionsScenario } from './partitions.suite';
import { expectPinsFitEveryRow, measuredByName } from './testing/pin-fits-measured';

// The partitions suite pins its own rows (packet faults, refuse under hashing and manual) from
// docs/measured/partitions-repeat.json: each pin holds over the measured range and sits just
// outside it, as the seed's do against docs/measured/seed-repeat.json.
const measured = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'measured', 'partitions-repeat.json'), 'utf8')) as MeasuredSummary;
const byName = measuredByName(measured);
const pinned = partitionsCases().filter(isPartitionsMeasuredCase).map(partitionsScenario);

test('every row the suite pins itself has a pin, and the measured file covers it, each run at least 5 times', () => {
  expect(partitionsCases().filter(isPartitionsMeasuredCase).filter((c) => partitionsExpectations(c) === undefined)).toEqual([]);
  expect(pinned.length).toBeGreaterThan(0);
  expect(pinned.map((s) => s.name).filter((name) => (byName.get(name)?.runs ?? 0) < 5)).toEqual([]);
});

test.each(pinned.map((s) => [s.name, s] as const))('%s: every pin holds over the measured range and sits just outside it', (name, scenario) => {
  expectPinsFitEveryRow(name, scenario.expect, measured);
});
