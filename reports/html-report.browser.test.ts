import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeHtmlReport } from './html-reporter';
import { formatCount } from './report-findings';
import type { RunResults } from './results-types';
import { copyConsumerTransactionRun } from './testing/consumer-transaction-fixture';
import { findChromium } from './testing/find-chromium';
import { HOSTILE, writeHostileSectionScenario } from './testing/hostile-sections';
import { counts, runResults, scenarioResult } from './testing/results-builder';
import { writeRunFolder, XSS_NAME } from './testing/run-folder-fixture';
import { writeSyntheticRun } from './testing/synthetic-run';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];


/** Generous: on the shared 2-core machine a page load has taken 30 s under a load average of 60. */
const PAGE_TIMEOUT_MS = 120_000;
jest.setTimeout(600_000);

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }

/**
 * Opens rendered report.html files in real headless Chromium: the page must run offline without
 * errors, filter, open and close scenarios (by mouse, keyboard and deep link), draw a scenario's
 * charts and lost messages when it is opened, say in its findings what results.json says, show a
 * scenario named like markup as text, and pass axe-core with no serious or critical violation.
 */
describe('report.html in Chromium', () => {
  let browser: Browser | undefined;
  let runDir: string;
  let results: RunResults;
  let reportUrl: string;
  const pages: Page[] = [];

  beforeAll(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'kchaos-html-'));
    results = writeRunFolder(runDir);
    reportUrl = pathToFileURL(writeHtmlReport(results, runDir)).href;
    // Fail, not skip: a report nobody opened in a browser is untested. CHROME_PATH, PATH, then
    // Debian's /usr/bin/chromium (npm test's pretest installs it when run as root).
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    if (process.env.KCHAOS_KEEP_REPORT) process.stdout.write(`report kept in ${runDir}\n`);
    else rmSync(runDir, { recursive: true, force: true });
  });

  /** A page that records every console error or warning, page error, dialog and request. */
  async function open(url: string, problems: string[]): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    pages.push(page);
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // Offline means offline: any request other than the file itself is a failure.
    const file = url.replace(/#.*$/, '');
    page.on('request', (req) => {
      if (req.url().replace(/#.*$/, '') !== file) problems.push(`request: ${req.url()}`);
    });
    await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    return page;
  }

  const visibleRows = (page: Page) => page.locator('#scenarios > .list > details.scn:visible');
  /** The page's own location.hash: page.url() follows replaceState only when Chromium's event has arrived. */
  const hashOf = (page: Page) => page.evaluate(() => location.hash);

  it('says in its findings what results.json says', async () => {
    const problems: string[] = [];
    const page = await open(reportUrl, problems);
    const findings = (await page.locator('#findings').innerText()).replace(/\s+/g, ' ');
    const sum = (k: 'attempted' | 'undelivered' | 'lostAcked' | 'duplicates') => results.scenarios.reduce((n, s) => n + s.counts[k], 0);
    const verdict = (v: string) => results.scenarios.filter((s) => s.verdict === v).length;
    expect(findings).toContain(`${results.scenarios.length} scenarios: ${verdict('pass')} pass, ${verdict('fail')} fail, ${verdict('unknown')} unknown.`);
    expect(findings).toContain(`${formatCount(sum('undelivered'))} of ${formatCount(sum('attempted'))} attempted messages`);
    expect(findings).toContain(`Acknowledged messages lost (lostAcked, a durability violation): ${sum('lostAcked')}, in 1 scenario`);
    expect(findings).toContain(`${sum('duplicates')} extra copies were read back (duplicates) in 1 scenario; most in ${XSS_NAME}`);
    expect(findings).toContain(`Worst scenario: ${XSS_NAME}: lostAcked 1, 1 of 6 undelivered`);
    expect(findings).toContain(`Not passed (2): ${XSS_NAME}: fail (lostAcked 1, undelivered 1) seed/java/manual/resilient/kill-k2: unknown`);
    expect(await page.locator('img').count()).toBe(0);
    // The JSON data, Chart.js and the page's script: nothing from the data became a script.
    expect(await page.locator('script').count()).toBe(3);
    expect(await page.locator('.status.incomplete').textContent()).toContain('INCOMPLETE');
    expect(problems).toEqual([]);
  });

  it('filters by client, verdict and name, keeps the filters in the URL, and clears them', async () => {
    const problems: string[] = [];
    const page = await open(reportUrl, problems);
    expect(await visibleRows(page).count()).toBe(2);
    await page.selectOption('select[name="client"]', 'java');
    expect(await visibleRows(page).count()).toBe(1);
    expect(await visibleRows(page).locator('.name').textContent()).toBe('seed/java/manual/resilient/kill-k2');
    expect(await hashOf(page)).toBe('#client=java');
    await page.selectOption('select[name="client"]', '');
    await page.selectOption('select[name="verdict"]', 'fail');
    expect(await visibleRows(page).locator('.name').allTextContents()).toEqual([XSS_NAME]);
    await page.fill('input[name="q"]', 'no such scenario');
    expect(await visibleRows(page).count()).toBe(0);
    expect(await page.locator('#no-match').isVisible()).toBe(true);
    expect(await page.locator('#shown').textContent()).toBe('0 of 2 shown');
    await page.click('button[data-action="reset"]');
    expect(await visibleRows(page).count()).toBe(2);

    // A link with filters opens filtered.
    const filtered = await open(`${reportUrl}#fault=kill&mode=resilient`, problems);
    expect(await visibleRows(filtered).locator('.name').allTextContents()).toEqual(['seed/java/manual/resilient/kill-k2']);
    expect(await filtered.locator('select[name="fault"]').inputValue()).toBe('kill');
    expect(problems).toEqual([]);
  });

  it('opens a scenario by click and by keyboard, draws its details then, and collapses again', async () => {
    const problems: string[] = [];
    const page = await open(reportUrl, problems);
    expect(await page.locator('canvas').count()).toBe(0);
    await page.click('#scenario-0 > summary');
    expect(await page.locator('#scenario-0').getAttribute('open')).not.toBeNull();
    // The toggle event that writes the hash and draws the charts is queued after the click, not run in it.
    await page.waitForFunction(() => location.hash === '#scenario-0', null, { timeout: 5_000 }).catch(() => undefined);
    expect(await hashOf(page)).toBe('#scenario-0');

    const charts = await page.evaluate(() => {
      const Chart = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
      return [...document.querySelectorAll('canvas')].map((canvas) => {
        const ctx = canvas.getContext('2d');
        const pixels = ctx ? ctx.getImageData(0, 0, canvas.width, canvas.height).data : new Uint8ClampedArray();
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
        return { id: canvas.id, label: canvas.getAttribute('aria-label'), hasChart: Boolean(Chart?.getChart(canvas)), painted };
      });
    });
    // Sends named no partition; seqs 0 and 3 were acked on partition 0 and seq 2 failed there, so all three count on it.
    expect(charts.map((c) => c.id)).toEqual(['timeline-0-0', 'timeline-0-1', 'timeline-0-2']);
    expect(charts[0].label).toBe('partition 0 (leader k1 at start): 3 sends, 2 acks, 1 errors');
    for (const chart of charts) {
      expect(chart.hasChart).toBe(true);
      expect(chart.painted).toBeGreaterThan(1000);
    }
    expect(await page.locator('#scenario-0 table.findings tbody tr').count()).toBe(2);
    expect(await page.locator('#scenario-0 .counts dd.fail').count()).toBe(2);
    await page.locator('#scenario-0 table.findings tbody tr').first().locator('summary').click();
    expect(await page.locator('#scenario-0 pre.history .own').first().textContent()).toMatch(/^ {5}\d+ {2}\{"index":\d+,.*"seq":1,/);
    expect(await page.locator('#scenario-0 pre.history').first().textContent()).toContain('KafkaJSRequestTimeoutError: Request Produce(key: 0, version: 7) timed out <b>');

    // Keyboard: focus the second row's summary and press Enter, then Space to close it.
    await page.locator('#scenario-1 > summary').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#scenario-1').getAttribute('open')).not.toBeNull();
    expect(await page.locator('#scenario-1 .warning').textContent()).toMatch(/history not available at .*scenarios\/missing\/history\.jsonl: file not found/);
    expect(await page.locator('#scenario-1 .error').count()).toBe(0);
    await page.keyboard.press(' ');
    expect(await page.locator('#scenario-1').getAttribute('open')).toBeNull();

    await page.click('button[data-action="collapse"]');
    expect(await page.locator('details.scn[open]').count()).toBe(0);
    await page.click('button[data-action="expand"]');
    expect(await page.locator('details.scn[open]').count()).toBe(2);

    const screenshot = join(runDir, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  });

  it('opens the scenario a link names (URL hash)', async () => {
    const problems: string[] = [];
    const page = await open(`${reportUrl}#scenario-1`, problems);
    expect(await page.locator('#scenario-1').getAttribute('open')).not.toBeNull();
    expect(await page.locator('#scenario-0').getAttribute('open')).toBeNull();
    expect(await page.locator('#scenario-1 canvas').count()).toBe(2);
    await page.waitForFunction(() => document.activeElement?.closest('details')?.id === 'scenario-1');
    expect(problems).toEqual([]);
  });

  it('shows a repeated scenario once, with min / median / max, and its runs inside', async () => {
    const repeatDir = join(runDir, 'repeat');
    const runs = [10, 30, 20].map((undelivered, i) => scenarioResult({ name: `r/x${i === 0 ? '' : `#${i + 1}`}`, counts: counts({ undelivered }) }));
    const url = pathToFileURL(writeHtmlReport(runResults([...runs, scenarioResult({ name: 'r/y', client: 'java' })], { repeat: 3 }), repeatDir)).href;
    const problems: string[] = [];
    const page = await open(url, problems);
    expect(await visibleRows(page).count()).toBe(2);
    expect(await page.locator('#shown').textContent()).toBe('2 shown');
    await page.click('#scenario-0-runs > summary');
    expect(await page.locator('#scenario-0-runs table.ranges').innerText()).toMatch(/median\s+100\s+100\s+0\s+0\s+100\s+0\s+20/);
    await page.click('#scenario-2 > summary');
    expect(await page.locator('#scenario-2 .counts').innerText()).toMatch(/undelivered\s+20/);
    await page.selectOption('select[name="client"]', 'java');
    expect(await visibleRows(page).locator('> summary .name').allTextContents()).toEqual(['r/y']);
    expect(problems).toEqual([]);
  });

  it('passes axe-core with every scenario open: no serious or critical violation', async () => {
    const problems: string[] = [];
    const page = await open(reportUrl, problems);
    await page.click('button[data-action="expand"]');
    await page.locator('#scenario-0 table.findings summary').first().click();
    await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    });
    process.stdout.write(`axe-core: ${violations.length === 0 ? 'no violations' : violations.map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`).join('; ')}\n`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('draws the consumer and transaction sections of a real run (and a hostile one) with no error, and passes axe-core', async () => {
    const fixture = copyConsumerTransactionRun();
    try {
      const withHostile = { ...fixture.results, scenarios: [...fixture.results.scenarios, writeHostileSectionScenario(fixture.runDir)] };
      const problems: string[] = [];
      const page = await open(pathToFileURL(writeHtmlReport(withHostile, fixture.runDir)).href, problems);
      await page.click('button[data-action="expand"]');
      expect(await page.locator('section.consumer').count()).toBe(2);
      expect(await page.locator('section.transactions').count()).toBe(2);
      expect(await page.locator('.body .error').count()).toBe(0);
      // The real consumer: kafkajs stopped for good after the coordinator outage; p0's stall runs to the end.
      const consumer = page.locator('#scenario-0 section.consumer');
      expect(await consumer.innerText()).toMatch(/processing mode commit-after-processing \(eachMessage\)/);
      expect(await consumer.locator('[aria-label^="consumer partitions of"]').innerText()).toMatch(/0\s+k1\s+44\.1 s/);
      const painted = await page.evaluate(() => [...document.querySelectorAll('canvas')].filter((c) => /^(consumer|transactions)-/.test(c.id)).map((canvas) => {
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) n++;
        return [canvas.id, canvas.getAttribute('aria-label'), n] as const;
      }));
      expect(painted.map((p) => p[0])).toEqual(['consumer-0-0', 'consumer-0-1', 'consumer-0-2', 'transactions-1', 'consumer-2-0', 'transactions-2']);
      for (const [, , n] of painted) expect(n).toBeGreaterThan(1000);
      expect(painted[3][1]).toMatch(/: 14 committed, 6 aborted, 0 failed, 0 unknown$/);
      // The real transactions: 14 committed, 6 aborted on purpose, each listed.
      await page.locator('#scenario-1 section.transactions details summary', { hasText: 'each transaction' }).click();
      expect(await page.locator('#scenario-1 table.transactions tbody tr').count()).toBe(20);
      // Hostile strings are text: no element came from them.
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('#scenario-2 section.consumer').innerText()).toContain(`group ${HOSTILE}`);
      await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
      });
      process.stdout.write(`axe-core (consumer and transaction sections): ${violations.length === 0 ? 'no violations' : violations.map((v) => `${v.impact} ${v.id} at ${v.nodes.join(', ')}`).join('; ')}\n`);
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      rmSync(fixture.runDir, { recursive: true, force: true });
    }
  });

  it('draws the first screen of a seed-sized report quickly (measured, printed)', async () => {
    const seedDir = join(runDir, 'seed-sized');
    const seedUrl = pathToFileURL(writeHtmlReport(writeSyntheticRun(seedDir, 42, 300), seedDir)).href;
    const problems: string[] = [];
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await open(seedUrl, problems);
      // The paint entry can be recorded a little after load (or, in headless Chromium, not at all for
      // a page it never composited): wait for it up to 5 s; the page script's own mark must be there.
      const measured = await page.evaluate(() => new Promise<{ fcp: number; ready: number }>((resolve) => {
        const ready = () => performance.getEntriesByName('kchaos-ready')[0]?.startTime ?? NaN;
        const done = (fcp: number) => resolve({ fcp, ready: ready() });
        const seen = performance.getEntriesByName('first-contentful-paint')[0];
        if (seen) return done(seen.startTime);
        const observer = new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) { observer.disconnect(); done(entry.startTime); }
        });
        observer.observe({ type: 'paint', buffered: true });
        setTimeout(() => { observer.disconnect(); done(NaN); }, 5_000);
      }));
      expect(Number.isFinite(measured.ready)).toBe(true); // the page script ran and marked itself ready
      times.push(Number.isFinite(measured.fcp) ? Math.max(measured.fcp, measured.ready) : measured.ready);
      await page.close();
    }
    const size = statSync(new URL(seedUrl)).size;
    process.stdout.write(`first screen (42 synthetic scenarios, ${(size / 1e6).toFixed(2)} MB): first contentful paint and script ready after ${times.map((t) => `${Math.round(t)} ms`).join(', ')}\n`);
    // Recorded, not asserted: on the shared 2-core machine it ranged from 0.4 s (idle) to 17 s
    // (load average 66), so any bound would either flake or prove nothing.
    expect(problems).toEqual([]);
  });
});
