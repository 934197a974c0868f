import fs from 'node:fs';
import path from 'node:path';
import type { MeasuredSummary } from '../reports/measured-table';
import { expectPinsFitMeasured, measuredByName } from './testing/pin-fits-measured';
import { COPIER_NOT_PINNED, COPY_EXACTLY_ONCE, copierCases, copierScenario, isCopierMeasuredCase } from './transactions-copier';

// The copier rows' pins against docs/measured/transactions-copier-repeat.json (scripts/transactions-copier-measured.ts).
const measured = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'docs', 'measured', 'transactions-copier-repeat.json'), 'utf8')) as MeasuredSummary;
const byName = measuredByName(measured);
const pinned = copierCases().filter(isCopierMeasuredCase).map(copierScenario);

test('4 copiers × 6 faults, unique names, every one holding output == input exactly once', () => {
  const all = copierCases().map(copierScenario);
  expect(all).toHaveLength(24);
  expect(new Set(all.map((s) => s.name)).size).toBe(24);
  for (const s of all) expect(s.expect).toEqual(COPY_EXACTLY_ONCE);
});

test('every pinned row is in the measured file, each run at least 5 times', () => {
  expect(pinned.map((s) => s.name).filter((name) => (byName.get(name)?.runs ?? 0) < 5)).toEqual([]);
});

test.each(pinned.map((s) => [s.name, s] as const))('%s: every pin holds over the measured range', (name, scenario) => {
  expectPinsFitMeasured(name, scenario.expect, byName.get(name)!.ranges);
});

test('rows not pinned say why in their description', () => {
  for (const c of copierCases().filter((c) => !isCopierMeasuredCase(c))) expect(copierScenario(c).description).toContain(COPIER_NOT_PINNED[`${c.client}/${c.fault}`]!);
});

test('the process faults: kill and zombie act on the copier, the link faults on its links', () => {
  const zombie = copierScenario({ client: 'node-rdkafka', fault: 'copier-zombie' });
  expect(zombie.transactions?.copier).toMatchObject({ processFault: 'zombie', records: 600, commitEvery: 10 });
  expect(zombie.faults).toEqual([]);
  const cut = copierScenario({ client: 'kafkajs', fault: 'coordinator-cut' });
  expect(cut.faults[0]).toMatchObject({ kind: 'refuse', target: 'transactionCoordinatorOf(kchaos-copier-kafkajs)' });
  expect(cut.transactions?.copier?.processFault).toBe('none');
});
