import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineFromResults } from './baseline';
import { compareWithBaseline, gate, gateCommand } from './gate';
import { renderResultsJson } from './json-reporter';
import { counts, runResults, scenarioResult } from './testing/results-builder';

const base = runResults([
  scenarioResult({ name: 'lossy', counts: counts({ undelivered: 20, duplicates: 0 }) }),
  scenarioResult({ name: 'safe', counts: counts() }),
]);
const baseline = baselineFromResults(base, 'results.json');

function output() {
  const lines = { log: [] as string[], error: [] as string[] };
  return { lines, out: { log: (l: string) => void lines.log.push(l), error: (l: string) => void lines.error.push(l) } };
}

describe('compareWithBaseline', () => {
  it('equal results pass', () => {
    expect(compareWithBaseline(baseline, base)).toMatchObject({ regressions: [], exitCode: 0, compared: 2 });
  });

  it('a lostAcked increase of one is a regression (absolute 0), named', () => {
    const now = runResults([base.scenarios[0], scenarioResult({ name: 'safe', counts: counts({ lostAcked: 1 }) })]);
    const result = compareWithBaseline(baseline, now);
    expect(result.exitCode).toBe(1);
    expect(result.regressions).toEqual([{ scenario: 'safe', count: 'lostAcked', baseline: 0, actual: 1, allowed: 0 }]);
  });

  it('noisy counts get 10% + 2 before they regress', () => {
    const within = runResults([scenarioResult({ name: 'lossy', counts: counts({ undelivered: 24, duplicates: 2 }) }), base.scenarios[1]]);
    expect(compareWithBaseline(baseline, within).exitCode).toBe(0);
    const beyond = runResults([scenarioResult({ name: 'lossy', counts: counts({ undelivered: 25, duplicates: 3 }) }), base.scenarios[1]]);
    expect(compareWithBaseline(baseline, beyond).regressions.map((r) => r.count)).toEqual(['undelivered', 'duplicates']);
  });

  it('tolerances can be tightened per count', () => {
    const now = runResults([scenarioResult({ name: 'lossy', counts: counts({ undelivered: 21 }) }), base.scenarios[1]]);
    expect(compareWithBaseline(baseline, now, { undelivered: { absolute: 0, relative: 0 } }).exitCode).toBe(1);
  });

  it('a verdict pass → fail and a missing scenario are regressions; a new scenario is not', () => {
    const now = runResults([scenarioResult({ name: 'lossy', counts: counts({ undelivered: 20 }), verdict: 'fail' }), scenarioResult({ name: 'new' })]);
    const result = compareWithBaseline(baseline, now);
    expect(result.regressions).toEqual([
      { scenario: 'lossy', count: 'verdict', baseline: 'pass', actual: 'fail' },
      { scenario: 'safe', count: 'scenario', baseline: 'present', actual: 'missing' },
    ]);
    expect(result.newScenarios).toEqual(['new']);
  });

  it('fewer losses than the baseline is not a regression', () => {
    const now = runResults([scenarioResult({ name: 'lossy', counts: counts({ undelivered: 0 }) }), base.scenarios[1]]);
    expect(compareWithBaseline(baseline, now).exitCode).toBe(0);
  });
});

describe('gate files and gateCommand', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kchaos-gate-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => { writeFileSync(join(dir, name), text); return join(dir, name); };

  it('exits 1 and names the scenario and count that got worse', () => {
    const b = write('baseline.json', JSON.stringify(baseline));
    const r = write('results.json', renderResultsJson(runResults([base.scenarios[0], scenarioResult({ name: 'safe', counts: counts({ offsetMismatch: 2 }) })])));
    expect(gate(b, r).exitCode).toBe(1);
    const { lines, out } = output();
    expect(gateCommand(['--baseline', b, r], out)).toBe(1);
    expect(lines.log).toEqual([`gate: 1 regression(s) against ${b}:`, '  safe: offsetMismatch 0 → 2 (allowed up to 0)']);
  });

  it('exits 0 when equal', () => {
    const b = write('baseline.json', JSON.stringify(baseline));
    const r = write('results.json', renderResultsJson(base));
    const { lines, out } = output();
    expect(gateCommand(['--baseline', b, r], out)).toBe(0);
    expect(lines.log).toEqual([`gate: no regressions (2 scenario(s) compared with ${b})`]);
  });

  it('exits 2 with one line for a missing, unparsable or wrong file, or bad usage', () => {
    const r = write('results.json', renderResultsJson(base));
    const cases: Array<[string[], RegExp]> = [
      [['--baseline', join(dir, 'missing.json'), r], /cannot read baseline file .*missing\.json: no such file; fix: create it with `kchaos baseline save/],
      [['--baseline', write('garbage.json', '{not json'), r], /baseline file .*garbage\.json is not valid JSON .*; fix:/],
      [['--baseline', r, r], /baseline file .*results\.json is malformed: not a kchaos baseline/],
      [['--baseline', write('b.json', JSON.stringify(baseline)), write('old.json', '{"schemaVersion": 0}')], /results file .*old\.json is malformed: schemaVersion is 0, expected 1/],
      [[r], /gate needs --baseline FILE; fix: usage: kchaos gate --baseline FILE RESULTS/],
      [['--baseline', r], /gate takes one results file, got 0/],
    ];
    for (const [argv, message] of cases) {
      const { lines, out } = output();
      expect(gateCommand(argv, out)).toBe(2);
      expect(lines.error).toHaveLength(1);
      expect(lines.error[0]).toMatch(message);
    }
  });
});
