import type { CountName } from '../harness/checker/check-types';
import { baseScenarioName, summarizeRepeats } from '../harness/repeat-summary';
import type { Baseline } from './baseline';
import { html, type SafeHtml } from './html-template';
import { compareScenario, describeChanges, type BaselineDelta } from './report-baseline';
import { faultLabel, formatCount } from './report-findings';
import type { RepeatSummaryEntry, ScenarioResult } from './results-types';

/**
 * The scenario list: one collapsed row per scenario (or per repeated scenario, with its runs
 * inside), the few counts a reader scans for, and data-* attributes the page's filters read. The
 * details are empty here; the page draws them from the embedded data when a row is opened.
 */

/** The counts a row shows (the details show every count). */
export const ROW_COUNTS: readonly CountName[] = ['undelivered', 'lostAcked', 'duplicates', 'reordered'];

export interface ListOptions {
  baseline?: Baseline;
}

/** A scenario run several times (`--repeat`): its base name and the indexes of its runs. */
interface RepeatGroup {
  name: string;
  indexes: number[];
  summary: RepeatSummaryEntry;
}

/** Groups by base name when some scenario ran more than once, else null. */
export function repeatGroups(scenarios: readonly ScenarioResult[]): RepeatGroup[] | null {
  const byName = new Map<string, number[]>();
  scenarios.forEach((s, i) => {
    const name = baseScenarioName(s.name);
    byName.set(name, [...(byName.get(name) ?? []), i]);
  });
  if ([...byName.values()].every((list) => list.length === 1)) return null;
  const summaries = new Map(summarizeRepeats(scenarios).map((e) => [e.name, e]));
  return [...byName.entries()].map(([name, indexes]) => ({ name, indexes, summary: summaries.get(name)! }));
}

export function renderScenarioList(scenarios: readonly ScenarioResult[], options: ListOptions = {}): SafeHtml {
  const deltas = options.baseline ? scenarios.map((s) => compareScenario(s, options.baseline!)) : null;
  const groups = repeatGroups(scenarios);
  const head = html`<div class="list-head" aria-hidden="true"><span></span><span>verdict</span><span>scenario</span>${ROW_COUNTS.map((c) => html`<span class="num">${c === 'undelivered' ? 'undelivered / attempted' : c}</span>`)}${deltas ? html`<span>vs baseline</span>` : null}</div>`;
  if (!groups) {
    return html`${head}<div class="list">${scenarios.map((s, i) => scenarioRow(s, i, deltas?.[i] ?? null, 'scn'))}</div>`;
  }
  return html`${head}<div class="list">${groups.map((g) => groupRow(g, scenarios, deltas))}</div>`;
}

/** Each filter's values for a row, as JSON arrays (a repeated scenario's runs may differ). */
function filterAttributes(list: readonly ScenarioResult[], deltas: ReadonlyArray<BaselineDelta | null>): SafeHtml {
  const values = (pick: (s: ScenarioResult) => string[]) => JSON.stringify([...new Set(list.flatMap(pick))]);
  const baseline = deltas.filter((d): d is BaselineDelta => d !== null).map((d) => d.status);
  return html` data-verdict="${values((s) => [s.verdict])}" data-client="${values((s) => [s.client])}" data-strategy="${values((s) => [s.strategy])}" data-mode="${values((s) => [s.mode])}" data-fault="${values(faultKinds)}"${baseline.length > 0 ? html` data-baseline="${JSON.stringify([...new Set(baseline)])}"` : null}`;
}

/** The fault kinds a filter can pick, "no fault" for a control scenario. */
export function faultKinds(s: ScenarioResult): string[] {
  const kinds = (s.faults ?? []).map((f) => String(f.kind));
  return kinds.length === 0 ? ['no fault'] : [...new Set(kinds)];
}

function scenarioRow(s: ScenarioResult, index: number, delta: BaselineDelta | null, cls: string): SafeHtml {
  return html`<details class="${cls}" id="scenario-${index}" data-index="${index}"${filterAttributes([s], [delta])}>
<summary>${verdictBadge(s.verdict)}<span class="name">${s.name}</span>${ROW_COUNTS.map((c) => countCell(s, c))}${delta ? deltaCell(delta) : null}</summary>
<div class="body"></div></details>
`;
}

function groupRow(g: RepeatGroup, scenarios: readonly ScenarioResult[], deltas: Array<BaselineDelta | null> | null): SafeHtml {
  const runs = g.indexes.map((i) => scenarios[i]);
  const v = g.summary.verdicts;
  const verdict = v.fail > 0 ? 'fail' : v.unknown > 0 ? 'unknown' : 'pass';
  const groupDeltas = deltas ? g.indexes.map((i) => deltas[i]!) : null;
  return html`<details class="scn group" id="scenario-${g.indexes[0]}-runs" data-runs="${g.indexes.join(' ')}"${filterAttributes(runs, groupDeltas ?? [])}>
<summary>${verdictBadge(verdict, `${v.pass}/${g.summary.runs} pass`)}<span class="name">${g.name}</span>${ROW_COUNTS.map((c) => rangeCell(g.summary, c, c === 'undelivered' ? g.summary.ranges?.attempted?.max : undefined))}${groupDeltas ? groupDeltaCell(groupDeltas) : null}</summary>
<div class="runs-body">
<p class="note">${g.summary.runs} runs; each count as min / median / max over them (median: the lower middle of an even number).</p>
${rangesTable(g.summary)}
<div class="list">${g.indexes.map((i) => scenarioRow(scenarios[i], i, deltas?.[i] ?? null, 'scn run'))}</div>
</div></details>
`;
}

function rangesTable(summary: RepeatSummaryEntry): SafeHtml {
  const entries = Object.entries(summary.ranges ?? {});
  return html`<div class="scroll" tabindex="0" role="region" aria-label="count ranges over the runs"><table class="ranges"><thead><tr><th scope="col">count</th>${entries.map(([c]) => html`<th scope="col" class="num">${c}</th>`)}</tr></thead>
<tbody>${(['min', 'median', 'max'] as const).map((k) => html`<tr><th scope="row">${k}</th>${entries.map(([, r]) => html`<td class="num">${formatCount(r?.[k] ?? 0)}</td>`)}</tr>`)}</tbody></table></div>`;
}

export function verdictBadge(verdict: string, text: string = verdict): SafeHtml {
  return html`<span class="verdict ${verdict === 'pass' || verdict === 'fail' ? verdict : 'unknown'}">${text}</span>`;
}

function countCell(s: ScenarioResult, c: CountName): SafeHtml {
  const value = s.counts?.[c] ?? 0;
  const failing = (s.expectations ?? []).some((e) => e.count === c && !e.pass);
  const text = c === 'undelivered' ? `${formatCount(value)} / ${formatCount(s.counts?.attempted ?? 0)}` : formatCount(value);
  return html`<span class="num${value > 0 ? ' nonzero' : ''}${failing ? ' fail' : ''}"><span class="sr">${c} </span>${text}</span>`;
}

function rangeCell(summary: RepeatSummaryEntry, c: CountName, attemptedMax: number | undefined): SafeHtml {
  const r = summary.ranges?.[c] ?? { min: 0, median: 0, max: 0 };
  const text = r.min === r.max ? formatCount(r.min) : `${formatCount(r.min)} / ${formatCount(r.median)} / ${formatCount(r.max)}`;
  return html`<span class="num${r.max > 0 ? ' nonzero' : ''}" title="min / median / max over ${summary.runs} runs"><span class="sr">${c} min / median / max </span>${text}${attemptedMax !== undefined ? ` of ${formatCount(attemptedMax)}` : ''}</span>`;
}

function deltaCell(d: BaselineDelta): SafeHtml {
  const text = d.status === 'worse' ? `worse: ${describeChanges(d.worse)}`
    : d.status === 'better' ? `better: ${describeChanges(d.better)}`
      : d.status === 'new' ? 'new (not in the baseline)' : 'same';
  return html`<span class="delta ${d.status}"><span class="sr">vs baseline </span>${text}</span>`;
}

function groupDeltaCell(deltas: readonly BaselineDelta[]): SafeHtml {
  const n = (status: BaselineDelta['status']) => deltas.filter((d) => d.status === status).length;
  const status = n('worse') > 0 ? 'worse' : n('better') > 0 ? 'better' : n('new') === deltas.length ? 'new' : 'same';
  const parts = (['worse', 'better', 'same', 'new'] as const).filter((s) => n(s) > 0).map((s) => `${s} ${n(s)}`);
  return html`<span class="delta ${status}"><span class="sr">vs baseline, runs </span>${parts.join(', ')}</span>`;
}
