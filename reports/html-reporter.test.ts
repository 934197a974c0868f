import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHtmlReporter, renderHtmlReport } from './html-reporter';
import { explainFault } from './fault-explanations';
import { runResults, scenarioResult } from './testing/results-builder';
import { writeRunFolder, XSS_NAME } from './testing/run-folder-fixture';

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

  it('embeds chart data as JSON that cannot close its tag', () => {
    const data = /<script type="application\/json" id="kchaos-data">([^]*?)<\/script>/.exec(page)![1];
    expect(data).not.toContain('<');
    const parsed = JSON.parse(data) as { charts: Array<{ canvasId: string; windows: unknown[] }> };
    expect(parsed.charts.map((c) => c.canvasId)).toEqual(['timeline-0-0', 'timeline-0-1', 'timeline-0-2', 'timeline-1-0', 'timeline-1-1']);
    expect(parsed.charts[0].windows).toEqual([
      { from: 2, to: 6, label: 'blackhole k1' },
      { from: 8, to: 12, label: 'refuse k2 (not healed)' },
    ]);
  });

  it('is self-contained: Chart.js inline, no external URL loaded', () => {
    expect(page).toContain('Chart.js v4');
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(page).not.toContain('sourceMappingURL');
  });

  it('explains each fault honestly and shows the run header', () => {
    expect(page).toContain(explainFault('blackhole'));
    expect(page).toContain('proxy disabled: connections refused at once, like a closed port');
    expect(page).toContain('INCOMPLETE');
    expect(page).toContain('<dt>Kafka version</dt><dd>3.9.0</dd>');
    expect(explainFault('<new>')).toBe('no explanation recorded for fault kind "<new>"; see the fault\'s definition');
  });

  it('marks failing count cells in the summary matrix', () => {
    expect(page.match(/<td class="num fail" title="expected = 0">1<\/td>/g)).toHaveLength(2);
  });

  it('shows the client matrix only when there are several clients', () => {
    expect(page).toContain('Clients × strategy × mode');
    expect(renderHtmlReport(runResults([scenarioResult()]), runDir)).not.toContain('Clients × strategy × mode');
  });

  it('the reporter writes report.html', async () => {
    await createHtmlReporter().onRunEnd!(runResults([scenarioResult()]), runDir);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });
});
