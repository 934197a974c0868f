import { COUNT_NAMES } from '../harness/checker/check-types';
import type { Reporter } from './reporter';
import type { FaultSummary, RunResults, ScenarioResult } from './results-types';
import { chartJsUmdSource } from './chart-js-source';
import { clientMatrix, columnKey } from './client-matrix';
import { COUNT_DEFINITIONS } from './count-definitions';
import { jsonForScript, scriptText } from './escape';
import { describeExpected } from './expectation-text';
import { explainFault } from './fault-explanations';
import { HTML_REPORT_SCRIPT } from './html-report-script';
import { html, trusted, type SafeHtml } from './html-template';
import { findMessages, MAX_FINDINGS, type MessageFinding } from './message-findings';
import { failingCounts } from './results-table';
import { timelineCharts, type TimelineChart } from './timeline-charts';
import { fileReporter, writeRunFile } from './file-reporter';

/** File name inside the run folder (DESIGN.md, Contracts). */
export const HTML_REPORT_FILE = 'report.html';

/**
 * No network at all: the page must work offline and from a CI artifact, and a stray URL in
 * user data can then fetch nothing. Inline script and style only.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Attributes added only sometimes (an empty class="" would be noise). */
const OWN_LINE = trusted(' class="own"');
const FAILED_ROW = trusted(' class="fail"');

/**
 * report.html as one self-contained string: Chart.js inlined, data embedded as JSON, every
 * user string escaped by the `html` template. `runDir` is where the scenarios' history.jsonl
 * files are read from (artifact paths are relative to it).
 */
export function renderHtmlReport(results: RunResults, runDir: string): string {
  const charts: TimelineChart[] = [];
  const sections = results.scenarios.map((s, i) => {
    const scenarioCharts = timelineCharts(s, i);
    charts.push(...scenarioCharts);
    return renderScenario(s, i, runDir, scenarioCharts);
  });
  const run = results.run;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kchaos run ${run.id}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header>
<h1>kchaos run <span class="run-id">${run.id}</span></h1>
${run.complete
    ? html`<p class="status complete">complete</p>`
    : html`<p class="status incomplete">INCOMPLETE: the run was interrupted before every scenario finished</p>`}
<dl class="run">
<dt>backend</dt><dd>${run.backend}</dd>
<dt>Kafka version</dt><dd>${run.kafkaVersion}</dd>
${run.suite ? html`<dt>suite</dt><dd>${run.suite}</dd>` : null}
${run.repeat ? html`<dt>repeat</dt><dd>${run.repeat}</dd>` : null}
<dt>started</dt><dd>${run.startedAt}</dd>
<dt>finished</dt><dd>${run.finishedAt}</dd>
<dt>scenarios</dt><dd>${verdictTally(results.scenarios)}</dd>
</dl>
</header>
<main>
<section id="summary">
<h2>Summary</h2>
${renderSummaryMatrix(results.scenarios)}
<details><summary>What the counts mean</summary><dl class="defs">${COUNT_NAMES.map((c) => html`<dt>${c}</dt><dd>${COUNT_DEFINITIONS[c]}</dd>`)}</dl></details>
</section>
${renderClientMatrix(results.scenarios)}
${sections}
</main>
<script type="application/json" id="kchaos-data">${trusted(jsonForScript({ runId: run.id, charts }))}</script>
<script>${trusted(scriptText(chartJsUmdSource()))}</script>
<script>${trusted(scriptText(HTML_REPORT_SCRIPT))}</script>
</body>
</html>
`;
  return page.html;
}

function verdictTally(scenarios: readonly ScenarioResult[]): string {
  const n = (v: string) => scenarios.filter((s) => s.verdict === v).length;
  return `${scenarios.length}: ${n('pass')} pass, ${n('fail')} fail, ${n('unknown')} unknown`;
}

function verdictBadge(verdict: string): SafeHtml {
  return html`<span class="verdict ${verdict === 'pass' || verdict === 'fail' ? verdict : 'unknown'}">${verdict}</span>`;
}

/** Scenario × counts; a cell is marked failing when an expectation on that count failed. */
function renderSummaryMatrix(scenarios: readonly ScenarioResult[]): SafeHtml {
  if (scenarios.length === 0) return html`<p>No scenario finished.</p>`;
  return html`<div class="scroll"><table class="matrix">
<thead><tr><th>scenario</th><th>verdict</th>${COUNT_NAMES.map((c) => html`<th class="num" title="${COUNT_DEFINITIONS[c]}">${c}</th>`)}<th class="num" title="ack latency, 99th percentile">p99 ms</th></tr></thead>
<tbody>
${scenarios.map((s, i) => {
    const failing = failingCounts(s);
    return html`<tr><td><a href="#scenario-${i}">${s.name}</a></td><td>${verdictBadge(s.verdict)}</td>${COUNT_NAMES.map((c) => {
      const expectations = s.expectations.filter((e) => e.count === c && !e.pass);
      return failing.has(c)
        ? html`<td class="num fail" title="expected ${expectations.map(describeExpected).join(' and ')}">${s.counts?.[c]}</td>`
        : html`<td class="num">${s.counts?.[c]}</td>`;
    })}<td class="num">${formatMs(s.latencyMs?.p99)}</td></tr>
`;
  })}</tbody></table></div>
<p class="note">Red cells: an expectation on that count failed (hover for what was expected).</p>`;
}

function renderClientMatrix(scenarios: readonly ScenarioResult[]): SafeHtml | null {
  const matrix = clientMatrix(scenarios);
  if (!matrix) return null;
  return html`<section id="clients">
<h2>Clients × strategy × mode</h2>
<p class="note">Summed over the scenarios of each cell. delivered = attempted − undelivered; lost = undelivered (of which lostAcked were acked); duplicated = duplicates.</p>
<div class="scroll"><table class="matrix">
<thead><tr><th>client</th>${matrix.columns.map((c) => html`<th>${c.strategy}<br>${c.mode}</th>`)}</tr></thead>
<tbody>
${matrix.clients.map((client) => html`<tr><th>${client}</th>${matrix.columns.map((column) => {
    const cell = matrix.cells[client]?.[columnKey(column)];
    if (!cell) return html`<td class="empty">not run</td>`;
    const bad = cell.undelivered > 0 || cell.lostAcked > 0 || cell.duplicates > 0;
    return html`<td class="${bad ? 'bad' : 'good'}">delivered ${cell.delivered}<br>lost ${cell.undelivered} (lostAcked ${cell.lostAcked})<br>duplicated ${cell.duplicates}<br><small>${cell.scenarios} scenario${cell.scenarios === 1 ? '' : 's'}</small></td>`;
  })}</tr>
`)}</tbody></table></div>
</section>`;
}

function renderScenario(s: ScenarioResult, index: number, runDir: string, charts: TimelineChart[]): SafeHtml {
  return html`<section class="scenario" id="scenario-${index}">
<h2>${verdictBadge(s.verdict)} <span class="name">${s.name}</span></h2>
${s.description ? html`<p>${s.description}</p>` : null}
${s.error ? html`<p class="error">checker error: ${s.error}</p>` : null}
<div class="columns">
<div>
<h3>Configuration</h3>
<dl>
<dt>client</dt><dd>${s.client}</dd>
<dt>strategy</dt><dd>${s.strategy}</dd>
<dt>mode</dt><dd>${s.mode}</dd>
<dt>duration</dt><dd>${formatSeconds(s.durationMs)}</dd>
<dt>leaders at start</dt><dd>${formatLeaders(s.leaders)}</dd>
</dl>
<pre class="config">${prettyJson(s.config)}</pre>
</div>
<div>
<h3>Expectations</h3>
${renderExpectations(s)}
<h3>Latency (ack time − invoke time)</h3>
<table><thead><tr><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead>
<tbody><tr>${(['p50', 'p95', 'p99', 'max'] as const).map((p) => html`<td class="num">${formatMs(s.latencyMs?.[p])} ms</td>`)}</tr></tbody></table>
${(s.timeToFirstAckAfterHealMs ?? []).length > 0
    ? html`<p>Time to first ack after each heal: ${(s.timeToFirstAckAfterHealMs ?? []).map((ms) => (ms === null ? 'no ack followed' : `${formatMs(ms)} ms`)).join(', ')}</p>`
    : null}
</div>
</div>
<h3>Faults</h3>
${renderFaults(s.faults ?? [])}
<h3>Timeline</h3>
${charts.length === 0
    ? html`<p class="note">No timeline recorded for this scenario.</p>`
    : html`<p class="note">Sends, acks and errors per second, one chart per partition; shaded: a fault is active (inject to heal).</p>
<div class="charts">${charts.map((c) => html`<div class="chart"><canvas id="${c.canvasId}" role="img" aria-label="${c.title}"></canvas></div>`)}</div>`}
<h3>Lost or duplicated messages</h3>
${renderFindings(s, runDir)}
</section>
`;
}

function renderExpectations(s: ScenarioResult): SafeHtml {
  if (s.expectations.length === 0) return html`<p class="note">No expectations: this scenario only measures.</p>`;
  return html`<table><thead><tr><th>count</th><th>expected</th><th class="num">actual</th><th></th></tr></thead><tbody>
${s.expectations.map((e) => html`<tr${e.pass ? null : FAILED_ROW}><td>${e.count}</td><td>${describeExpected(e)}</td><td class="num">${e.actual}</td><td>${e.pass ? 'held' : 'FAILED'}</td></tr>`)}
</tbody></table>`;
}

function renderFaults(faults: readonly FaultSummary[]): SafeHtml {
  if (faults.length === 0) return html`<p class="note">No fault: a baseline scenario.</p>`;
  return html`<table class="faults"><thead><tr><th>kind</th><th>target</th><th>active</th><th>details</th><th>what it really does</th></tr></thead><tbody>
${faults.map((f) => html`<tr><td>${f.kind}</td><td>${f.target}</td><td>${formatSeconds(f.atMs)} → ${f.healAtMs === null ? 'end of run (never healed)' : formatSeconds(f.healAtMs)}</td><td>${faultDetails(f)}</td><td class="explain">${explainFault(f.kind, typeof f.link === 'string' ? f.link : undefined)}</td></tr>`)}
</tbody></table>`;
}

function faultDetails(f: FaultSummary): string {
  const extra = Object.entries(f).filter(([k]) => !['kind', 'target', 'atMs', 'healAtMs'].includes(k));
  return extra.length === 0 ? '' : extra.map(([k, v]) => `${k}=${typeof v === 'string' ? v : safeJson(v)}`).join(', ');
}

function renderFindings(s: ScenarioResult, runDir: string): SafeHtml {
  const { findings, total, historyProblem } = findMessages(s, runDir);
  if (total === 0) return html`<p class="note">None: every attempted message was read back exactly once.</p>`;
  return html`<p class="note">${total > findings.length ? `First ${findings.length} of ${total}` : `${total}`} message${total === 1 ? '' : 's'} (lostAcked first, then undelivered, then duplicated; at most ${MAX_FINDINGS}).</p>
${historyProblem ? html`<p class="warning">${historyProblem}; partition, leader, error and history lines cannot be shown.</p>` : null}
<div class="scroll"><table class="findings"><thead><tr><th class="num">seq</th><th>what</th><th class="num">partition</th><th>leader</th><th>producer's last answer</th><th>error the producer saw</th><th class="num">sends</th><th>history</th></tr></thead><tbody>
${findings.map(renderFinding)}
</tbody></table></div>`;
}

function renderFinding(f: MessageFinding): SafeHtml {
  const leader = f.leader === null ? 'unknown' : `k${f.leader}${f.leaderSource === 'fail op' ? ' (from the failed send)' : ' (at scenario start)'}`;
  const copies = f.copies && f.copies.length > 0 ? html`<br><small>copies at ${f.copies.map((c) => `p${c.partition}@${c.offset}`).join(', ')}</small>` : null;
  return html`<tr><td class="num">${f.seq}</td><td>${f.kinds.join(', ')}${copies}</td><td class="num">${f.partition ?? '?'}</td><td>${leader}</td><td>${f.outcome}</td><td class="err">${f.error ?? '—'}</td><td class="num">${f.attempts}</td><td>${renderContext(f)}</td></tr>
`;
}

function renderContext(f: MessageFinding): SafeHtml | string {
  if (!f.context) return 'history unavailable';
  if (f.context.length === 0) return 'seq not in the history';
  const lines = f.context.reduce((n, e) => n + e.lines.length, 0);
  return html`<details><summary>${lines} lines</summary><pre class="history">${f.context.map((excerpt, i) => html`${i > 0 ? '…\n' : ''}${excerpt.lines.map((l) => html`<span${l.own ? OWN_LINE : null}>${String(l.lineNo).padStart(6)}  ${l.text}</span>\n`)}`)}</pre></details>`;
}

function formatLeaders(leaders: Record<string, number> | undefined): string {
  const entries = Object.entries(leaders ?? {});
  return entries.length === 0 ? 'unknown' : entries.map(([p, b]) => `partition ${p} → k${b}`).join(', ');
}

function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  return ms >= 100 ? String(Math.round(ms)) : ms.toFixed(1);
}

function formatSeconds(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '-' : `${(ms / 1000).toFixed(1)} s`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value ?? {}, null, 2);
  } catch {
    return String(value);
  }
}

/** Writes `<runDir>/report.html` atomically; returns the path written. */
export function writeHtmlReport(results: RunResults, runDir: string): string {
  return writeRunFile(runDir, HTML_REPORT_FILE, renderHtmlReport(results, runDir));
}

/** Reporter writing report.html at the end of the run. */
export function createHtmlReporter(): Reporter {
  return fileReporter('html', writeHtmlReport);
}

const STYLE = `
:root { --fail: #c62828; --pass: #2e7d32; --unknown: #b26a00; --muted: #666; --line: #ddd; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 1rem 1.5rem; max-width: 1400px; color: #222; }
h1 { font-size: 1.4rem; margin: 0.2rem 0; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
.status { display: inline-block; padding: 0.1rem 0.6rem; border-radius: 3px; font-weight: 600; margin: 0.3rem 0; }
.status.complete { background: #e8f5e9; color: var(--pass); } .status.incomplete { background: #fff3e0; color: var(--unknown); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0; } dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
dl.run { max-width: 700px; } dl.defs { font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.3rem 0; } th, td { border: 1px solid var(--line); padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; font-weight: 600; } .num { text-align: right; font-variant-numeric: tabular-nums; }
td.fail, tr.fail td { background: #ffebee; color: var(--fail); font-weight: 600; } td.fail::after { content: " ✗"; }
td.bad { background: #fff5f5; } td.good { background: #f4fbf4; } td.empty { color: var(--muted); }
.verdict { display: inline-block; min-width: 3.5em; text-align: center; border-radius: 3px; padding: 0 0.4em; color: #fff; font-size: 0.85em; font-weight: 600; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.unknown { background: var(--unknown); }
.scroll { overflow-x: auto; } .note { color: var(--muted); } .warning, .error { color: var(--unknown); font-weight: 600; }
.scenario { border-top: 2px solid var(--line); margin-top: 2rem; } .scenario h2 .name { overflow-wrap: anywhere; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 1.5rem; }
pre { background: #fafafa; border: 1px solid var(--line); padding: 0.5rem; overflow-x: auto; font-size: 12px; }
pre.history { max-width: 900px; } pre.history .own { background: #fff59d; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 1rem; } .chart { position: relative; height: 260px; }
.explain { max-width: 520px; color: #444; } td.err { max-width: 360px; overflow-wrap: anywhere; }
`;
