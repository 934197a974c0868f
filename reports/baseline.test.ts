import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineCommand, readBaselineFile, saveBaseline, summarizeScenarios } from './baseline';
import { renderResultsJson } from './json-reporter';
import { counts, runResults, scenarioResult } from './testing/results-builder';

function output() {
  const lines = { log: [] as string[], error: [] as string[] };
  return { lines, out: { log: (l: string) => void lines.log.push(l), error: (l: string) => void lines.error.push(l) } };
}

describe('baseline', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kchaos-baseline-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const results = runResults([
    scenarioResult({ name: 'a', counts: counts({ undelivered: 4 }), verdict: 'pass' }),
    scenarioResult({ name: 'b', counts: counts({ lostAcked: 1 }), verdict: 'fail' }),
  ]);

  it('round-trips: save from results.json, read back the same counts and verdicts per scenario', () => {
    const resultsPath = join(dir, 'results.json');
    writeFileSync(resultsPath, renderResultsJson(results));
    const saved = saveBaseline(resultsPath, join(dir, 'sub', 'baseline.json'));
    const read = readBaselineFile(join(dir, 'sub', 'baseline.json'));
    expect(read).toEqual(saved);
    expect(read.scenarios).toEqual({
      a: { counts: counts({ undelivered: 4 }), verdict: 'pass' },
      b: { counts: counts({ lostAcked: 1 }), verdict: 'fail' },
    });
    expect(read.source).toMatchObject({ results: resultsPath, runId: results.run.id, complete: true });
  });

  it('keeps the worst of repeated scenarios', () => {
    const repeated = runResults([
      scenarioResult({ name: 'a', counts: counts({ undelivered: 4, duplicates: 0 }), verdict: 'pass' }),
      scenarioResult({ name: 'a', counts: counts({ undelivered: 1, duplicates: 2 }), verdict: 'fail' }),
    ]);
    expect(summarizeScenarios(repeated).a).toEqual({ counts: counts({ undelivered: 4, duplicates: 2 }), verdict: 'fail' });
  });

  it('baselineCommand writes the file and exits 0', () => {
    const resultsPath = join(dir, 'results.json');
    writeFileSync(resultsPath, renderResultsJson(results));
    const { lines, out } = output();
    expect(baselineCommand(['save', resultsPath, '--out', join(dir, 'b.json')], out)).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')).kind).toBe('kchaos-baseline');
    expect(lines.log[0]).toMatch(/2 scenarios .* written to/);
  });

  it('baselineCommand exits 2 with one line naming the file and the fix', () => {
    const { lines, out } = output();
    expect(baselineCommand(['save', join(dir, 'nope.json'), '--out', join(dir, 'b.json')], out)).toBe(2);
    expect(lines.error).toHaveLength(1);
    expect(lines.error[0]).toMatch(/^error: cannot read results file .*nope\.json: no such file; fix: pass the results\.json/);

    writeFileSync(join(dir, 'bad.json'), '{"schemaVersion": 1, "run": {}, "scenarios": [{"name": "x"}]}');
    const second = output();
    expect(baselineCommand([join(dir, 'bad.json'), '--out', join(dir, 'b.json')], second.out)).toBe(2);
    expect(second.lines.error[0]).toMatch(/bad\.json is malformed: scenario "x" has verdict undefined; fix:/);
    expect(second.lines.error[0]).not.toContain('\n');
  });

  it('baselineCommand exits 2 on usage errors', () => {
    const { lines, out } = output();
    expect(baselineCommand(['save', 'r.json'], out)).toBe(2);
    expect(lines.error[0]).toMatch(/needs --out FILE .*; fix: usage: kchaos baseline save RESULTS --out FILE$/);
    expect(baselineCommand(['save', '--bogus'], output().out)).toBe(2);
  });
});
