import { COUNT_NAMES } from '../harness/checker/check-types';
import type { Baseline } from './baseline';
import { describeExpected } from './expectation-text';
import { explainFault } from './fault-explanations';
import { loadHistory } from './history-context';
import { findMessages, MAX_FINDINGS, type MessageFinding } from './message-findings';
import { compareScenario, type BaselineDelta } from './report-baseline';
import { HistoryPacker, type PackedLine, type PackedValue, type PackTables } from './report-history-pack';
import type { FaultSummary, RunResults, ScenarioResult } from './results-types';
import { consumerSection, type ConsumerSection } from './consumer-section';
import { faultWindows, scenarioTimeline, type ScenarioTimeline } from './timeline-charts';
import { transactionSection, type TransactionSection } from './transaction-section';

/**
 * The data a scenario's details are drawn from when the reader opens them: the page holds this
 * JSON once instead of the markup of every chart and history excerpt (which made a 42-scenario
 * report 7 MB). Positional arrays and one shared string table keep it small; the field comments
 * are the contract with html-report-script.ts.
 */

/** [seq, kinds, partition, leader, leaderSource, outcome, error, sends, copies, excerpts, own lines] */
export type PackedFinding = [
  number, string[], number | null, number | null, string | null, PackedValue, PackedValue | null, number,
  Array<[number, number]> | null,
  /** excerpts: [first line number, last line number] of each, 1-based. */
  Array<[number, number]> | null,
  /** the message's own lines (1-based), highlighted */
  number[],
];

export interface ScenarioMessages {
  /** Distinct lost or duplicated seqs (the list holds at most ReportData.maxFindings). */
  total: number;
  problem: string | null;
  items: PackedFinding[];
  /** history lines by 1-based line number. */
  lines: Record<string, PackedLine>;
}

export interface ScenarioData {
  /** Every count, in the data's own order (new counts appear without a report change). */
  counts: Record<string, number>;
  config: Record<string, unknown>;
  /** [kind, target, atMs, healAtMs, "k=v, …" details, explanation key] */
  faults: Array<[string, string, number, number | null, string, string]>;
  /** [count, expected, actual, pass] */
  expectations: Array<[string, string, number, boolean]>;
  latencyMs: Record<string, number> | null;
  leaders: Record<string, number>;
  durationMs: number | null;
  timeline: ScenarioTimeline | null;
  messages: ScenarioMessages;
  baseline?: BaselineDelta;
  /** Consumer scenarios: the consumer under test's counts, commit behaviour and progress over time. */
  consumer?: ConsumerSection;
  /** Transactional scenarios: transaction counts and each transaction's span and outcome. */
  transactions?: TransactionSection;
  /** Scenario fields this report version does not draw (a newer harness's), as JSON text. */
  other?: string;
}

/** ScenarioResult fields the report draws or deliberately leaves to other files; any other is shown as JSON. */
const DRAWN_FIELDS = new Set([
  'name', 'client', 'strategy', 'mode', 'description', 'faults', 'config', 'counts', 'latencyMs', 'expectations', 'verdict',
  'error', 'durationMs', 'leaders', 'timeline', 'anomalies', 'timeToFirstAckAfterHealMs', 'artifacts', 'guarantees',
  'clientOutcomesMissing', 'consumer',
]);

export interface ReportData {
  runId: string;
  maxFindings: number;
  /** Fault kind (with "@replication" for that link) → what the fault really does. */
  explanations: Record<string, string>;
  tables: PackTables;
  scenarios: ScenarioData[];
}

export interface ReportDataOptions {
  baseline?: Baseline;
}

/** The count names present in the data: the known ones in their order, then any others. */
export function countNamesOf(scenarios: readonly ScenarioResult[]): string[] {
  const seen = new Set<string>();
  for (const s of scenarios) for (const k of Object.keys(s.counts ?? {})) seen.add(k);
  return [...COUNT_NAMES.filter((c) => seen.has(c)), ...[...seen].filter((c) => !(COUNT_NAMES as readonly string[]).includes(c))];
}

/**
 * Lost or duplicated messages listed per report, shared out among its scenarios: a seed run
 * lists MAX_FINDINGS (50) per scenario, a 500-scenario run 10, so the page stays within about
 * 10 MB. The rest stay in each scenario's history.jsonl (and `kchaos check`).
 * @default 5000
 */
export const FINDINGS_PER_REPORT = 5000;
/** Never fewer than this per scenario, however large the run. */
const MIN_FINDINGS_PER_SCENARIO = 5;

export function findingsPerScenario(scenarios: number): number {
  return Math.max(MIN_FINDINGS_PER_SCENARIO, Math.min(MAX_FINDINGS, Math.floor(FINDINGS_PER_REPORT / Math.max(1, scenarios))));
}

export function buildReportData(results: RunResults, runDir: string, options: ReportDataOptions = {}): ReportData {
  const packer = new HistoryPacker();
  const explanations: Record<string, string> = {};
  const maxFindings = findingsPerScenario(results.scenarios.length);
  const scenarios = results.scenarios.map((s) => scenarioData(s, runDir, packer, explanations, options, maxFindings));
  return { runId: results.run.id, maxFindings, explanations, tables: packer.tables, scenarios };
}

function scenarioData(s: ScenarioResult, runDir: string, packer: HistoryPacker, explanations: Record<string, string>, options: ReportDataOptions, maxFindings: number): ScenarioData {
  const history = loadHistory(runDir, s.artifacts?.history);
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(s.counts ?? {})) if (typeof v === 'number') counts[k] = v;
  const ops = history.ok ? history.file.ops : null;
  // A loop, not Math.max(...ops): a long history would overflow the call stack.
  let lastMs = Number.isFinite(s.durationMs) ? Math.max(1, s.durationMs) : 1;
  for (const op of ops ?? []) if (op && Number.isFinite(op.timeMs) && op.timeMs > lastMs) lastMs = op.timeMs;
  const windows = faultWindows(s, lastMs);
  const consumer = consumerSection(s, ops, windows);
  const transactions = transactionSection(s, ops, windows);
  const otherFields = Object.entries(s).filter(([k]) => !DRAWN_FIELDS.has(k));
  return {
    counts,
    config: s.config ?? {},
    faults: (s.faults ?? []).map((f) => {
      const link = typeof f.link === 'string' ? f.link : undefined;
      const key = `${f.kind}${link === 'replication' ? '@replication' : ''}`;
      explanations[key] ??= explainFault(f.kind, link);
      return [String(f.kind), String(f.target), f.atMs, f.healAtMs, faultDetails(f), key];
    }),
    expectations: (s.expectations ?? []).map((e) => [e.count, describeExpected(e), e.actual, e.pass]),
    latencyMs: s.latencyMs ? { ...s.latencyMs } : null,
    leaders: s.leaders ?? {},
    durationMs: Number.isFinite(s.durationMs) ? s.durationMs : null,
    timeline: scenarioTimeline(s, ops),
    messages: scenarioMessages(s, runDir, packer, maxFindings),
    ...(options.baseline ? { baseline: compareScenario(s, options.baseline) } : {}),
    ...(consumer ? { consumer } : {}),
    ...(transactions ? { transactions } : {}),
    ...(otherFields.length > 0 ? { other: safeJson(Object.fromEntries(otherFields)) } : {}),
  };
}

function scenarioMessages(s: ScenarioResult, runDir: string, packer: HistoryPacker, maxFindings: number): ScenarioMessages {
  const { findings, total, historyProblem } = findMessages(s, runDir, maxFindings);
  const lines: Record<string, PackedLine> = {};
  const items = findings.map((f) => packFinding(f, packer, lines));
  return { total, problem: historyProblem, items, lines };
}

function packFinding(f: MessageFinding, packer: HistoryPacker, lines: Record<string, PackedLine>): PackedFinding {
  const own: number[] = [];
  const excerpts = f.context?.map((excerpt): [number, number] => {
    for (const line of excerpt.lines) {
      lines[line.lineNo] ??= packer.packLine(line.text);
      if (line.own) own.push(line.lineNo);
    }
    return [excerpt.lines[0]?.lineNo ?? 0, excerpt.lines[excerpt.lines.length - 1]?.lineNo ?? 0];
  }) ?? null;
  return [
    f.seq, f.kinds, f.partition, f.leader, f.leaderSource, packer.text(f.outcome), f.error === null ? null : packer.text(f.error), f.attempts,
    f.copies ? f.copies.map((c): [number, number] => [c.partition, c.offset]) : null,
    excerpts, own,
  ];
}

function faultDetails(f: FaultSummary): string {
  const extra = Object.entries(f).filter(([k]) => !['kind', 'target', 'atMs', 'healAtMs'].includes(k));
  return extra.map(([k, v]) => `${k}=${typeof v === 'string' ? v : safeJson(v)}`).join(', ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
