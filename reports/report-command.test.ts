import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineFromResults } from './baseline';
import { reportCommand } from './report-command';
import { counts, runResults, scenarioResult } from './testing/results-builder';

describe('kchaos report', () => {
  let dir: string;
  const out = () => {
    const lines: string[] = [];
    return { lines, io: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(`ERR ${l}`) } };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kchaos-report-cmd-'));
    writeFileSync(join(dir, 'results.json'), JSON.stringify(runResults([scenarioResult({ name: 'a', counts: counts({ undelivered: 50 }) })])));
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(baselineFromResults(runResults([scenarioResult({ name: 'a' })]), 'x')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes report.html beside the results, or to --out, compared with --baseline', () => {
    const first = out();
    expect(reportCommand([join(dir, 'results.json')], first.io)).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    const second = out();
    expect(reportCommand([join(dir, 'results.json'), '--out', join(dir, 'other.html'), '--baseline', join(dir, 'baseline.json')], second.io)).toBe(0);
    expect(readFileSync(join(dir, 'other.html'), 'utf8')).toContain('worse: undelivered 0 → 50');
    expect(second.lines[0]).toMatch(/^report: 1 scenario\(s\) written to .*other\.html \(\d+ KB\), compared with .*baseline\.json$/);
  });

  it('prints its usage, and exits 2 with one line naming the problem', () => {
    const help = out();
    expect(reportCommand(['--help'], help.io)).toBe(0);
    expect(help.lines).toEqual(['usage: kchaos report RESULTS [--out FILE] [--baseline FILE]']);
    for (const [args, message] of [
      [[], /report takes one results file, got 0; fix: usage: kchaos report RESULTS/],
      [[join(dir, 'nope.json')], /cannot read results file .*nope\.json/],
      [[join(dir, 'results.json'), '--baseline', join(dir, 'results.json')], /baseline file .* is malformed: not a kchaos baseline/],
      [[join(dir, 'results.json'), '--bogus'], /Unknown option '--bogus'/],
    ] as const) {
      const o = out();
      expect(reportCommand(args, o.io)).toBe(2);
      expect(o.lines).toHaveLength(1);
      expect(o.lines[0]).toMatch(message);
    }
  });
});
