import chalk from 'chalk';
import type { CountName } from '../harness/checker/check-types';
import type { RunResults, ScenarioResult } from './results-types';
import { describeExpectation } from './expectation-text';
import { failedConsumerExpectations } from './section-counts';

/** Count columns of the console table, in reading order: what was sent, what came back, what went wrong. */
export const TABLE_COUNTS: readonly CountName[] = [
  'attempted', 'acked', 'observed', 'undelivered', 'lostAcked', 'duplicates', 'reordered',
];

export interface TableOptions {
  /** ANSI colours; the caller decides (TTY, NO_COLOR), so the formatter stays pure. @default false */
  color?: boolean;
}

interface Cell {
  text: string;
  paint?: (s: string) => string;
  /** Right-aligned (numbers). */
  right?: boolean;
}

/** Marks a count whose expectation failed, so the table says it even without colour (CI logs). */
const FAIL_MARK = '*';

/**
 * The per-scenario counts table (console reporter and `npm start`). Pure: same input, same text.
 * A count whose expectation failed is suffixed with `*` (and red with colour).
 */
export function formatResultsTable(scenarios: readonly ScenarioResult[], options: TableOptions = {}): string {
  const c = new chalk.Instance({ level: options.color ? 1 : 0 });
  const header = ['scenario', 'verdict', ...TABLE_COUNTS, 'p99 ms'];
  // Cells are plain text first: widths must be measured before colour codes are added.
  const rows = scenarios.map((s): Cell[] => {
    const failing = failingCounts(s);
    return [
      { text: s.name },
      { text: s.verdict, paint: verdictPaint(c, s.verdict) },
      ...TABLE_COUNTS.map((count) => failing.has(count)
        ? { text: `${s.counts?.[count] ?? '?'}${FAIL_MARK}`, paint: c.red.bold, right: true }
        : { text: String(s.counts?.[count] ?? '?'), right: true }),
      { text: formatMs(s.latencyMs?.p99), right: true },
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].text.length)));
  const line = (cells: Cell[]): string => cells
    .map((cell, i) => {
      const padded = cell.right ? cell.text.padStart(widths[i]) : cell.text.padEnd(widths[i]);
      return cell.paint ? cell.paint(padded) : padded;
    })
    .join('  ')
    .trimEnd();
  const out = [
    c.bold(line(header.map((h, i) => ({ text: h, right: i >= 2 })))),
    ...rows.map(line),
  ];
  if (rows.some((r) => r.some((cell) => cell.text.endsWith(FAIL_MARK) && cell.right))) {
    out.push(`${FAIL_MARK} an expectation on this count failed`);
  }
  return out.join('\n');
}

/** One line per violated expectation and per unknown verdict; empty when everything held. */
export function formatFailingExpectations(scenarios: readonly ScenarioResult[], options: TableOptions = {}): string {
  const c = new chalk.Instance({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  for (const s of scenarios) {
    for (const e of s.expectations.filter((x) => !x.pass)) {
      lines.push(`  ${s.name}: ${c.red(describeExpectation(e))}`);
    }
    const consumer = failedConsumerExpectations(s);
    for (const text of consumer) lines.push(`  ${s.name}: ${c.red(text)}`);
    if (s.verdict === 'unknown') lines.push(`  ${s.name}: ${c.yellow(`verdict unknown: ${s.error ?? 'no reason recorded'}`)}`);
    else if (s.verdict === 'fail' && s.expectations.every((x) => x.pass) && consumer.length === 0) {
      lines.push(`  ${s.name}: ${c.red(`verdict fail: ${s.error ?? 'no failing expectation recorded'}`)}`);
    }
  }
  return lines.length === 0 ? '' : ['failing expectations (expected vs actual):', ...lines].join('\n');
}

/** `17 scenarios: 15 pass, 2 fail, 0 unknown`, plus INCOMPLETE when the run was interrupted. */
export function formatRunSummary(results: RunResults, options: TableOptions = {}): string {
  const c = new chalk.Instance({ level: options.color ? 1 : 0 });
  const n = (v: string) => results.scenarios.filter((s) => s.verdict === v).length;
  const summary = `${results.scenarios.length} scenarios: ${c.green(`${n('pass')} pass`)}, `
    + `${n('fail') > 0 ? c.red(`${n('fail')} fail`) : '0 fail'}, `
    + `${n('unknown') > 0 ? c.yellow(`${n('unknown')} unknown`) : '0 unknown'}`;
  return results.run.complete ? summary : `${summary}  ${c.yellow.bold('INCOMPLETE: the run was interrupted')}`;
}

/** Scenario counts that carry at least one failed expectation. */
export function failingCounts(s: ScenarioResult): Set<CountName> {
  return new Set(s.expectations.filter((e) => !e.pass).map((e) => e.count));
}

function verdictPaint(c: chalk.Chalk, verdict: string): (s: string) => string {
  if (verdict === 'pass') return c.green;
  if (verdict === 'fail') return c.red.bold;
  return c.yellow;
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  return ms >= 100 ? String(Math.round(ms)) : ms.toFixed(1);
}
