import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { writeHtmlReport } from './html-reporter';
import { findChromium } from './testing/find-chromium';
import { writeRunFolder, XSS_NAME } from './testing/run-folder-fixture';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

jest.setTimeout(60_000);

/**
 * Opens a rendered report.html in real headless Chromium: the page must run offline without
 * errors, draw its charts, and show a scenario named like markup as text.
 */
describe('report.html in Chromium', () => {
  let browser: Browser | undefined;
  let runDir: string;

  beforeAll(() => {
    runDir = mkdtempSync(join(tmpdir(), 'kchaos-html-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (process.env.KCHAOS_KEEP_REPORT) process.stdout.write(`report kept in ${runDir}\n`);
    else rmSync(runDir, { recursive: true, force: true });
  });

  it('renders offline with no errors, draws every chart and shows markup names as text', async () => {
    // Fail, not skip: a report nobody opened in a browser is untested. CHROME_PATH, PATH, then
    // Debian's /usr/bin/chromium (npm test's pretest installs it when run as root).
    const chromiumPath = findChromium();
    const results = writeRunFolder(runDir);
    const reportPath = writeHtmlReport(results, runDir);

    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // Offline means offline: any request other than the file itself is a failure.
    page.on('request', (req) => {
      if (req.url() !== pathToFileURL(reportPath).href) problems.push(`request: ${req.url()}`);
    });

    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });

    const charts = await page.evaluate(() => {
      const Chart = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
      return [...document.querySelectorAll('canvas')].map((canvas) => {
        const ctx = canvas.getContext('2d');
        const pixels = ctx ? ctx.getImageData(0, 0, canvas.width, canvas.height).data : new Uint8ClampedArray();
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
        return { id: canvas.id, hasChart: Boolean(Chart?.getChart(canvas)), width: canvas.width, painted };
      });
    });
    // Scenario 0 has partitions 0, 1, 2; scenario 1 has partition 1 and "unknown".
    expect(charts.map((c) => c.id)).toEqual(['timeline-0-0', 'timeline-0-1', 'timeline-0-2', 'timeline-1-0', 'timeline-1-1']);
    for (const chart of charts) {
      expect(chart).toMatchObject({ hasChart: true });
      expect(chart.width).toBeGreaterThan(0);
      expect(chart.painted).toBeGreaterThan(1000);
    }

    expect(await page.locator('#scenario-0 h2 .name').textContent()).toBe(XSS_NAME);
    expect(await page.locator('#summary a[href="#scenario-0"]').textContent()).toBe(XSS_NAME);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    // The JSON data, Chart.js and the page's script: nothing from the data became a script.
    expect(await page.locator('script').count()).toBe(3);
    expect(await page.locator('.status.incomplete').textContent()).toContain('INCOMPLETE');
    expect(await page.locator('#scenario-0 td.fail').count()).toBe(0);
    expect(await page.locator('#summary td.fail').count()).toBe(2);
    expect(await page.locator('#scenario-0 table.findings tbody tr').count()).toBe(2);
    expect(await page.locator('#scenario-1 .warning').textContent()).toMatch(/history not available at .*scenarios\/missing\/history\.jsonl: file not found/);

    const screenshot = join(runDir, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);

    expect(problems).toEqual([]);
  });
});
