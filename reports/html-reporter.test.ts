import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineFromResults } from './baseline';
import { createHtmlReporter, renderHtmlReport } from './html-reporter';
import { explainFault } from './fault-explanations';
import { HTML_REPORT_SCRIPT } from './html-report-script';
import type { ReportData } from './report-data';
import { counts, runResults, scenarioResult } from './testing/results-builder';
import { HOSTILE, writeHostileSectionScenario } from './testing/hostile-sections';
import { writeRunFolder, XSS_NAME } from './testing/run-folder-fixture';

function embeddedData(page: string): { raw: string; data: ReportData } {
  const raw = /<script type="application\/json" id="kchaos-data">([^]*?)<\/script>/.exec(page)![1];
  return { raw, data: JSON.parse(raw) as ReportData };
}

describe('renderHtmlReport', () => {
  let runDir: string;
  let page: string;
  beforeAll(() => {
    runDir = mkdtempSync(join(tmpdir(), 'kchaos-html-unit-'));
    page = renderHtmlReport(writeRunFolder(runDir), runDir);
  });
  afterAll(() => rmSync(runDir, { recursive: true, force: true }));

  it('never emits user markup: names, descriptions, config and errors are escaped', () => {
    expect(page).not.toContain(XSS_NAME);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toMatch(/<script>alert|<i>x<\/i>|<b>&quot;|<TypeError>/);
    // Exactly three script elements: data, Chart.js, the page's own script.
    expect(page.match(/<script\b/g)).toHaveLength(3);
    expect(page.match(/<\/script>/gi)).toHaveLength(3);
  });

  it('embeds the details as JSON that cannot close its tag, and draws none of them as markup', () => {
    const { raw, data } = embeddedData(page);
    expect(raw).not.toContain('<');
    expect(data.scenarios).toHaveLength(2);
    expect(data.scenarios[0].timeline!.windows).toEqual([
      { fromMs: 2000, toMs: 6000, label: 'blackhole k1' },
      { fromMs: 8000, toMs: expect.any(Number), label: 'refuse k2 (not healed)' },
    ]);
    expect(data.scenarios[0].config.clientId).toBe('</script><script>alert(3)</script>');
    expect(page).not.toContain('<canvas');
    expect(page).not.toContain('<pre');
  });

  it('is self-contained: Chart.js inline once, no external URL loaded', () => {
    expect(page.match(/Chart\.js v4/g)).toHaveLength(1);
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(page).not.toContain('sourceMappingURL');
  });

  it('puts findings first, then the matrix, then the collapsed scenarios', () => {
    const at = (needle: string) => page.indexOf(needle);
    expect(at('id="findings"')).toBeGreaterThan(0);
    expect(at('id="findings"')).toBeLessThan(at('id="matrix"'));
    expect(at('id="matrix"')).toBeLessThan(at('id="scenarios"'));
    expect(page).toContain('<li>Acknowledged messages lost (lostAcked, a durability violation): 1, in 1 scenario:<ul><li>&lt;img src=x onerror=alert(1)&gt;: 1</li></ul></li>');
    expect(page.match(/<details class="scn"/g)).toHaveLength(2);
    expect(page).not.toMatch(/<details class="scn"[^>]* open/);
  });

  it('explains each fault honestly (in the data) and shows the run header', () => {
    const { data } = embeddedData(page);
    expect(data.explanations.blackhole).toBe(explainFault('blackhole'));
    expect(data.explanations.refuse).toBe('proxy disabled: connections refused at once, like a closed port');
    expect(page).toContain('INCOMPLETE');
    expect(page).toContain('Kafka 3.9.0');
  });

  it('marks counts whose expectation failed in the scenario row', () => {
    expect(page.match(/<span class="num nonzero fail"><span class="sr">(lostAcked|undelivered) <\/span>/g)).toHaveLength(2);
  });

  it('offers filter values from the data: a client the report has never heard of shows up', () => {
    const other = renderHtmlReport(runResults([scenarioResult(), scenarioResult({ name: 'seed/confluent/x', client: 'confluent' })]), runDir);
    expect(other).toContain('<option>confluent</option>');
    expect(other).toContain('data-client="[&quot;confluent&quot;]"');
    expect(other).toMatch(/<th scope="row">confluent<\/th>/);
  });

  it('with a baseline, marks each scenario worse, better, same or new', () => {
    const before = runResults([
      scenarioResult({ name: 'a', counts: counts({ undelivered: 0 }) }),
      scenarioResult({ name: 'b', counts: counts({ undelivered: 90 }) }),
      scenarioResult({ name: 'c' }),
    ]);
    const now = runResults([
      scenarioResult({ name: 'a', counts: counts({ undelivered: 40 }) }),
      scenarioResult({ name: 'b', counts: counts({ undelivered: 3 }) }),
      scenarioResult({ name: 'c' }),
      scenarioResult({ name: 'd' }),
    ]);
    const compared = renderHtmlReport(now, runDir, { baseline: baselineFromResults(before, 'before.json') });
    expect(compared).toContain('<span class="delta worse"><span class="sr">vs baseline </span>worse: undelivered 0 → 40</span>');
    expect(compared).toContain('<span class="delta better"><span class="sr">vs baseline </span>better: undelivered 90 → 3</span>');
    expect(compared).toContain('<span class="delta same">');
    expect(compared).toContain('<span class="delta new">');
    expect(compared).toContain('1 worse, 1 better, 1 same, 1 not in the baseline');
    expect(compared).toContain('<select name="baseline" data-filter="baseline">');
  });

  it('with repeated runs, one row per scenario with min / median / max and its runs inside', () => {
    const runs = [10, 30, 20].map((undelivered, i) => scenarioResult({ name: `r/x${i === 0 ? '' : `#${i + 1}`}`, counts: counts({ undelivered }) }));
    const repeated = renderHtmlReport(runResults([...runs, scenarioResult({ name: 'r/y' })], { repeat: 3 }), runDir);
    expect(repeated).toContain('<details class="scn group" id="scenario-0-runs" data-runs="0 1 2"');
    expect(repeated).toContain('<span class="sr">undelivered min / median / max </span>10 / 20 / 30 of 100</span>');
    expect(repeated.match(/<details class="scn run"/g)).toHaveLength(4);
  });

  it("ships a page script that parses (a syntax error would leave every row closed and every filter dead)", () => {
    expect(() => new Function(HTML_REPORT_SCRIPT)).not.toThrow();
  });

  it('the reporter writes report.html', async () => {
    await createHtmlReporter().onRunEnd!(runResults([scenarioResult()]), runDir);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });
});

describe('renderHtmlReport: consumer and transaction sections with hostile strings', () => {
  let runDir: string;
  beforeAll(() => {
    runDir = mkdtempSync(join(tmpdir(), 'kchaos-html-hostile-'));
  });
  afterAll(() => rmSync(runDir, { recursive: true, force: true }));

  it('carries every string of the new sections as JSON data only, never as markup', () => {
    const page = renderHtmlReport(runResults([writeHostileSectionScenario(runDir)]), runDir);
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<script>alert(2)');
    expect(page.match(/<script\b/g)).toHaveLength(3);
    const { raw, data } = embeddedData(page);
    expect(raw).not.toContain('<');
    const s = data.scenarios[0];
    expect(s.consumer!.group).toBe(HOSTILE);
    expect(s.consumer!.counts[HOSTILE]).toBe(3);
    expect(s.consumer!.expectations[0][0]).toBe(HOSTILE);
    expect(s.consumer!.command).toBe(HOSTILE);
    expect(s.consumer!.other).toContain('onerror');
    expect(s.consumer!.progress!.marks.map((m) => m[1])).toEqual([`c1${HOSTILE} assigned p0`, `c1${HOSTILE} killed (${HOSTILE})`]);
    expect(s.transactions!.timeline!.spans.map((x) => [x[0], x[3], x[4], x[8]])).toEqual([[`p1${HOSTILE} tx0`, 'failed', HOSTILE, HOSTILE], ['p2 tx0', 'committed', null, null]]);
    expect(s.other).toContain('onerror');
  });
});
