import type { Reporter } from './reporter';
import type { Baseline } from './baseline';
import type { RunResults, ScenarioResult } from './results-types';
import { chartJsUmdSource } from './chart-js-source';
import { COUNT_DEFINITIONS } from './count-definitions';
import { jsonForScript, scriptText } from './escape';
import { HTML_REPORT_SCRIPT } from './html-report-script';
import { html, trusted, type SafeHtml } from './html-template';
import { compareScenario, missingFromResults } from './report-baseline';
import { buildReportData, countNamesOf } from './report-data';
import { runFindings } from './report-findings';
import { sectionFindings } from './section-findings';
import { renderMatrix } from './report-matrix';
import { faultKinds, renderScenarioList, repeatGroups } from './report-scenario-list';
import { REPORT_STYLE } from './report-style';
import { fileReporter, writeRunFile } from './file-reporter';

/** File name inside the run folder (DESIGN.md, Contracts). */
export const HTML_REPORT_FILE = 'report.html';

/**
 * No network at all: the page must work offline and from a CI artifact, and a stray URL in
 * user data can then fetch nothing. Inline script and style only.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export interface HtmlReportOptions {
  /** `kchaos report --baseline FILE`: each scenario marked worse / better / same / new. */
  baseline?: Baseline;
}

/**
 * report.html as one self-contained string, in reading order: findings in words, the client ×
 * strategy × mode matrix, then the scenarios collapsed with filters. A scenario's details (counts,
 * faults, charts, lost messages with their history lines) are drawn by the page from one embedded
 * JSON block when the row is opened. Every user string is escaped by the `html` template (markup)
 * or jsonForScript (data); the page script puts data into the DOM as text only.
 */
export function renderHtmlReport(results: RunResults, runDir: string, options: HtmlReportOptions = {}): string {
  const run = results.run;
  const scenarios = results.scenarios;
  const findings = runFindings(scenarios);
  findings.lines.push(...sectionFindings(scenarios));
  const data = buildReportData(results, runDir, options);
  const countNames = countNamesOf(scenarios);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kchaos run ${run.id}</title>
<style>${trusted(REPORT_STYLE)}</style>
</head>
<body${options.baseline ? html` class="has-baseline"` : null}>
<header>
<h1>kchaos run <span class="run-id">${run.id}</span></h1>
${run.complete
    ? html`<p class="status complete">complete</p>`
    : html`<p class="status incomplete">INCOMPLETE: the run was interrupted before every scenario finished</p>`}
<p class="run-facts">${[
    `backend ${run.backend}`, `Kafka ${run.kafkaVersion}`, run.suite ? `suite ${run.suite}` : null,
    run.repeat && run.repeat > 1 ? `repeat ${run.repeat}` : null, `${run.startedAt} → ${run.finishedAt}`,
  ].filter(Boolean).join(' · ')}</p>
</header>
<main>
<section id="findings" aria-labelledby="findings-title">
<h2 id="findings-title">Findings</h2>
<ul>${findings.lines.map((line) => html`<li>${line.text}${line.items ? html`<ul>${line.items.map((item) => html`<li>${item}</li>`)}</ul>` : null}</li>`)}</ul>
${findings.worstIndex !== null ? html`<p><a href="#scenario-${findings.worstIndex}">Open the worst scenario</a></p>` : null}
${options.baseline ? renderBaselineSummary(scenarios, options.baseline) : null}
</section>
${scenarios.length > 0 ? html`<section id="matrix" aria-labelledby="matrix-title">
<h2 id="matrix-title">Client × strategy × mode</h2>
${renderMatrix(scenarios)}
</section>` : null}
<section id="scenarios" aria-labelledby="scenarios-title">
<h2 id="scenarios-title">Scenarios${repeatGroups(scenarios) ? html` <small>(each repeated scenario once, its runs inside)</small>` : null}</h2>
${renderFilters(scenarios, Boolean(options.baseline))}
${renderScenarioList(scenarios, options)}
<p id="no-match" class="note" hidden>No scenario matches these filters.</p>
</section>
<details id="count-definitions"><summary>What the counts mean</summary><dl class="defs">${countNames.map((c) => html`<dt>${c}</dt><dd>${(COUNT_DEFINITIONS as Record<string, string>)[c] ?? 'no definition recorded'}</dd>`)}</dl></details>
</main>
<script type="application/json" id="kchaos-data">${trusted(jsonForScript(data))}</script>
<script>${trusted(scriptText(chartJsUmdSource()))}</script>
<script>${trusted(scriptText(HTML_REPORT_SCRIPT))}</script>
</body>
</html>
`;
  return page.html;
}

/** Filters whose options come from the data: a new client or fault kind shows up by itself. */
function renderFilters(scenarios: readonly ScenarioResult[], withBaseline: boolean): SafeHtml {
  const options = (pick: (s: ScenarioResult) => string[]) => [...new Set(scenarios.flatMap(pick))].sort();
  const select = (name: string, label: string, values: string[]) => html`<label>${label}<select name="${name}" data-filter="${name}"><option value="">all</option>${values.map((v) => html`<option>${v}</option>`)}</select></label>`;
  return html`<form class="filters" role="search" aria-label="filter scenarios">
<label>search by name<input type="search" name="q" data-filter="q" placeholder="e.g. hashing/workaround" autocomplete="off"></label>
${select('verdict', 'verdict', options((s) => [s.verdict]))}
${select('client', 'client', options((s) => [s.client]))}
${select('strategy', 'strategy', options((s) => [s.strategy]))}
${select('mode', 'mode', options((s) => [s.mode]))}
${select('fault', 'fault kind', options(faultKinds))}
${withBaseline ? select('baseline', 'vs baseline', ['worse', 'better', 'same', 'new']) : null}
<button type="button" data-action="expand">expand shown</button>
<button type="button" data-action="collapse">collapse all</button>
<button type="button" data-action="reset">clear filters</button>
<output id="shown" aria-live="polite">${scenarios.length} scenarios</output>
</form>`;
}

function renderBaselineSummary(scenarios: readonly ScenarioResult[], baseline: Baseline): SafeHtml {
  const missing = missingFromResults(scenarios, baseline);
  const statuses = scenarios.map((s) => compareScenario(s, baseline).status);
  const n = (status: string) => statuses.filter((x) => x === status).length;
  return html`<p>Against the baseline of run ${baseline.source.runId} (saved ${baseline.createdAt}), by <code>kchaos gate</code>'s tolerances: ${n('worse')} worse, ${n('better')} better, ${n('same')} same, ${n('new')} not in the baseline (the “vs baseline” column and filter below).${missing.length > 0 ? html` In the baseline but missing here: ${missing.join(', ')}.` : null}</p>`;
}

/** Writes `<runDir>/report.html` atomically; returns the path written. */
export function writeHtmlReport(results: RunResults, runDir: string, options: HtmlReportOptions = {}): string {
  return writeRunFile(runDir, HTML_REPORT_FILE, renderHtmlReport(results, runDir, options));
}

/** Reporter writing report.html at the end of the run. */
export function createHtmlReporter(): Reporter {
  return fileReporter('html', writeHtmlReport);
}
