import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtmlReport } from './html-reporter';
import { findingsPerScenario } from './report-data';
import { writeSyntheticRun } from './testing/synthetic-run';

jest.setTimeout(180_000);

/**
 * Size budgets of report.html (issue 18): a seed-sized run ≤ 1.5 MB, a 500-scenario run ≤ 10 MB.
 * Synthetic scenarios shaped like the seed's heaviest (a third of 150 messages lost, each with
 * a long error), so each lists as many lost messages as the report allows.
 */
describe('report.html size', () => {
  let runDir: string;
  beforeAll(() => {
    runDir = mkdtempSync(join(tmpdir(), 'kchaos-size-'));
  });
  afterAll(() => rmSync(runDir, { recursive: true, force: true }));

  it('shares the lost-message list out among the scenarios', () => {
    expect(findingsPerScenario(42)).toBe(50);
    expect(findingsPerScenario(500)).toBe(10);
    expect(findingsPerScenario(100_000)).toBe(5);
  });

  it('stays within 1.5 MB for 42 scenarios and 10 MB for 500', () => {
    const results = writeSyntheticRun(runDir, 500, 150);
    const seedSized = Buffer.byteLength(renderHtmlReport({ ...results, scenarios: results.scenarios.slice(0, 42) }, runDir));
    const large = Buffer.byteLength(renderHtmlReport(results, runDir));
    process.stdout.write(`report size: 42 scenarios ${(seedSized / 1e6).toFixed(2)} MB, 500 scenarios ${(large / 1e6).toFixed(2)} MB\n`);
    expect(seedSized).toBeLessThanOrEqual(1.5e6);
    expect(large).toBeLessThanOrEqual(10e6);
  });
});
