import type { ScenarioResult } from './results-types';

/**
 * The report's opening, in words, computed from the results only: what was lost, duplicated and
 * reordered, where (client × strategy × mode × fault), the worst scenario, and what each mode
 * other than the library alone changed. Every number in it is a sum or a pick of results.json
 * counts, so a reader (and the browser test) can trace it back.
 */

/** The mode every other mode is compared with (DESIGN.md: library-only, workaround, resilient). */
export const BASELINE_MODE = 'library-only';
/** Lines per list before "and N more". */
export const MAX_LISTED = 6;

export interface LossGroup {
  client: string;
  strategy: string;
  mode: string;
  fault: string;
  scenarios: number;
  attempted: number;
  undelivered: number;
  lostAcked: number;
  duplicates: number;
}

export interface ModeComparison {
  mode: string;
  /** Name of the scenario with the mode segment taken out, e.g. seed/kafkajs/hashing/blackhole-k1. */
  label: string;
  libraryOnly: number;
  withMode: number;
  duplicatesBefore: number;
  duplicatesAfter: number;
}

/** A sentence, and the items it lists (shown as sub-bullets). */
export interface FindingLine {
  text: string;
  items?: string[];
}

export interface RunFindings {
  /** Plain sentences, in reading order. */
  lines: FindingLine[];
  /** Index (in results.scenarios) of the worst scenario, or null when nothing went wrong. */
  worstIndex: number | null;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function percent(part: number, whole: number): string {
  if (whole <= 0) return '';
  const p = (100 * part) / whole;
  return ` (${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%)`;
}

/** "blackhole", "refuse+kill", or "no fault". */
export function faultLabel(s: ScenarioResult): string {
  const kinds = [...new Set((s.faults ?? []).map((f) => f.kind))];
  return kinds.length === 0 ? 'no fault' : kinds.join('+');
}

const count = (s: ScenarioResult, name: string): number => {
  const v = (s.counts as unknown as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};

/** Most serious first: lost acknowledged messages, then the share undelivered, then duplicates, then reordering. */
export function worstScenarioIndex(scenarios: readonly ScenarioResult[]): number | null {
  let best: number | null = null;
  let bestKey: number[] = [];
  scenarios.forEach((s, i) => {
    const attempted = Math.max(1, count(s, 'attempted'));
    const key = [count(s, 'lostAcked'), count(s, 'undelivered') / attempted, count(s, 'duplicates'), count(s, 'reordered')];
    if (key.every((k) => k === 0)) return;
    if (best === null || compareKeys(key, bestKey) > 0) {
      best = i;
      bestKey = key;
    }
  });
  return best;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Sums per client × strategy × mode × fault kind, in first-seen order. */
export function lossGroups(scenarios: readonly ScenarioResult[]): LossGroup[] {
  const groups = new Map<string, LossGroup>();
  for (const s of scenarios) {
    const fault = faultLabel(s);
    const key = JSON.stringify([s.client, s.strategy, s.mode, fault]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { client: s.client, strategy: s.strategy, mode: s.mode, fault, scenarios: 0, attempted: 0, undelivered: 0, lostAcked: 0, duplicates: 0 }));
    g.scenarios += 1;
    g.attempted += count(s, 'attempted');
    g.undelivered += count(s, 'undelivered');
    g.lostAcked += count(s, 'lostAcked');
    g.duplicates += count(s, 'duplicates');
  }
  return [...groups.values()];
}

/**
 * Each scenario run in another mode beside the same scenario run by the library alone (same
 * name but for the mode segment); repeated runs (`name#2`) are summed per name.
 */
export function modeComparisons(scenarios: readonly ScenarioResult[]): ModeComparison[] {
  const sums = new Map<string, { label: string; mode: string; undelivered: number; duplicates: number; runs: number }>();
  for (const s of scenarios) {
    const parts = s.name.replace(/#\d+$/, '').split('/');
    const at = parts.lastIndexOf(s.mode);
    if (at < 0) continue;
    const label = [...parts.slice(0, at), ...parts.slice(at + 1)].join('/');
    const key = JSON.stringify([label, s.mode]);
    const slot = sums.get(key) ?? { label, mode: s.mode, undelivered: 0, duplicates: 0, runs: 0 };
    slot.undelivered += count(s, 'undelivered');
    slot.duplicates += count(s, 'duplicates');
    slot.runs += 1;
    sums.set(key, slot);
  }
  const out: ModeComparison[] = [];
  for (const slot of sums.values()) {
    if (slot.mode === BASELINE_MODE) continue;
    const base = sums.get(JSON.stringify([slot.label, BASELINE_MODE]));
    if (!base) continue;
    // Per run, so ten repeats of one and three of the other compare fairly.
    out.push({
      mode: slot.mode, label: slot.label,
      libraryOnly: round1(base.undelivered / base.runs), withMode: round1(slot.undelivered / slot.runs),
      duplicatesBefore: round1(base.duplicates / base.runs), duplicatesAfter: round1(slot.duplicates / slot.runs),
    });
  }
  return out;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function listed<T>(items: readonly T[], show: (item: T) => string): string[] {
  const shown = items.slice(0, MAX_LISTED).map(show);
  return items.length > MAX_LISTED ? [...shown, `and ${items.length - MAX_LISTED} more`] : shown;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function runFindings(scenarios: readonly ScenarioResult[]): RunFindings {
  const lines: FindingLine[] = [];
  const say = (text: string, items?: string[]) => lines.push(items && items.length > 0 ? { text, items } : { text });
  if (scenarios.length === 0) return { lines: [{ text: 'No scenario finished.' }], worstIndex: null };
  const total = (name: string) => scenarios.reduce((n, s) => n + count(s, name), 0);
  const withSome = (name: string) => scenarios.filter((s) => count(s, name) > 0);
  const most = (name: string) => [...withSome(name)].sort((a, b) => count(b, name) - count(a, name))[0];
  const verdicts = (v: string) => scenarios.filter((s) => s.verdict === v).length;

  const attempted = total('attempted');
  const undelivered = total('undelivered');
  say(`${plural(scenarios.length, 'scenario')}: ${verdicts('pass')} pass, ${verdicts('fail')} fail, ${verdicts('unknown')} unknown.`);
  say(undelivered === 0
    ? `Every one of the ${formatCount(attempted)} attempted messages was read back.`
    : `${formatCount(undelivered)} of ${formatCount(attempted)} attempted messages${percent(undelivered, attempted)} were never read back (undelivered) in ${plural(withSome('undelivered').length, 'scenario')}.`);

  const lostAcked = withSome('lostAcked');
  if (lostAcked.length === 0) say('No acknowledged message was lost (lostAcked is 0 in every scenario).');
  else {
    say(`Acknowledged messages lost (lostAcked, a durability violation): ${formatCount(total('lostAcked'))}, in ${plural(lostAcked.length, 'scenario')}:`,
      listed([...lostAcked].sort((a, b) => count(b, 'lostAcked') - count(a, 'lostAcked')), (s) => `${s.name}: ${formatCount(count(s, 'lostAcked'))}`));
  }

  for (const [name, what] of [['duplicates', 'extra copies were read back (duplicates)'], ['reordered', 'records were read out of order (reordered)']] as const) {
    const some = withSome(name);
    say(some.length === 0
      ? `No ${name === 'duplicates' ? 'duplicates' : 'record was reordered'}.`
      : `${formatCount(total(name))} ${what} in ${plural(some.length, 'scenario')}; most in ${most(name).name} (${formatCount(count(most(name), name))}).`);
  }

  const worstIndex = worstScenarioIndex(scenarios);
  if (worstIndex !== null) {
    const w = scenarios[worstIndex];
    const parts = [
      count(w, 'lostAcked') > 0 ? `lostAcked ${formatCount(count(w, 'lostAcked'))}` : null,
      `${formatCount(count(w, 'undelivered'))} of ${formatCount(count(w, 'attempted'))} undelivered${percent(count(w, 'undelivered'), count(w, 'attempted'))}`,
      count(w, 'duplicates') > 0 ? `${formatCount(count(w, 'duplicates'))} duplicates` : null,
      count(w, 'reordered') > 0 ? `${formatCount(count(w, 'reordered'))} reordered` : null,
    ].filter(Boolean);
    say(`Worst scenario: ${w.name}: ${parts.join(', ')}.`);
  }

  const failing = scenarios.filter((s) => s.verdict !== 'pass');
  if (failing.length > 0) {
    say(`Not passed (${failing.length}):`, listed(failing, (s) => `${s.name}: ${s.verdict}${s.expectations.some((e) => !e.pass) ? ` (${s.expectations.filter((e) => !e.pass).map((e) => `${e.count} ${e.actual}`).join(', ')})` : ''}`));
  }

  const lossy = lossGroups(scenarios).filter((g) => g.undelivered > 0)
    .sort((a, b) => b.undelivered / Math.max(1, b.attempted) - a.undelivered / Math.max(1, a.attempted));
  if (lossy.length > 0) {
    say(`Where messages were lost, by client · strategy · mode · fault (${lossy.length} combination${lossy.length === 1 ? '' : 's'}, largest share first):`,
      listed(lossy, (g) => `${g.client} · ${g.strategy} · ${g.mode} · ${g.fault}: ${formatCount(g.undelivered)} of ${formatCount(g.attempted)}${percent(g.undelivered, g.attempted)}`));
  }

  const comparisons = modeComparisons(scenarios);
  for (const mode of [...new Set(comparisons.map((c) => c.mode))]) {
    const of = comparisons.filter((c) => c.mode === mode);
    const change = (c: ModeComparison) => `${c.label}: ${formatCount(c.libraryOnly)} → ${formatCount(c.withMode)}`;
    const fixed = of.filter((c) => c.libraryOnly > 0 && c.withMode === 0);
    const less = of.filter((c) => c.withMode > 0 && c.withMode < c.libraryOnly);
    const noBetter = of.filter((c) => c.withMode > 0 && c.withMode >= c.libraryOnly);
    const bothClean = of.filter((c) => c.libraryOnly === 0 && c.withMode === 0);
    const moreDuplicates = of.filter((c) => c.duplicatesAfter > c.duplicatesBefore);
    const summary = [
      fixed.length > 0 ? `lost nothing in ${fixed.length} where the library alone lost` : null,
      less.length > 0 ? `lost less in ${less.length}` : null,
      noBetter.length > 0 ? `did not help in ${noBetter.length}` : null,
      bothClean.length > 0 ? `${bothClean.length} lost nothing either way` : null,
      moreDuplicates.length > 0 ? `added duplicates in ${moreDuplicates.length}` : null,
    ].filter(Boolean).join(', ');
    const inline = (list: ModeComparison[]) => list.slice(0, MAX_LISTED).map(change).join('; ') + (list.length > MAX_LISTED ? `; and ${list.length - MAX_LISTED} more` : '');
    say(`${mode} beside the library alone (${plural(of.length, 'scenario')} compared; undelivered per run): ${summary}.`, [
      noBetter.length > 0 ? `did not help: ${inline(noBetter)}` : '',
      less.length > 0 ? `lost less: ${inline(less)}` : '',
      fixed.length > 0 ? `lost nothing: ${inline(fixed)}` : '',
      moreDuplicates.length > 0 ? `more duplicates: ${moreDuplicates.slice(0, MAX_LISTED).map((c) => `${c.label}: ${formatCount(c.duplicatesBefore)} → ${formatCount(c.duplicatesAfter)}`).join('; ')}` : '',
    ].filter(Boolean));
  }
  return { lines, worstIndex };
}
