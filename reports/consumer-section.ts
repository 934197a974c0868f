import { CONSUMER_COUNT_NAMES } from '../harness/checker/consumer-check-types';
import type { HistoryOp } from '../harness/history/history-types';
import { commitBehaviour } from './consumer-commit-behaviour';
import { consumerProgress, type ConsumerProgress } from './consumer-progress';
import { describeExpected } from './expectation-text';
import type { ScenarioResult } from './results-types';
import type { FaultWindow } from './timeline-charts';

/**
 * A consumer scenario's section of the report data (results.json's `consumer` part plus what the
 * history shows over time). Read defensively: results written by older or newer harness versions
 * may lack a field or carry new ones, and the report must still open.
 */
export interface ConsumerSection {
  mode: string;
  api: string | null;
  group: string | null;
  /** "SIGKILL at 1.5 s, restarted 0.5 s later", or null. */
  crash: string | null;
  /** The mode's meaning and this client's measured commit behaviour, in words. */
  commitBehaviour: string;
  /** Commits in the history: [by the application ok, failed, unknown, by the library on its own ok, failed or unknown]; null without a history. */
  commitsSeen: [number, number, number, number, number] | null;
  /** Every numeric consumer count: the known ones in their order, then any others. */
  counts: Record<string, number>;
  /** [count, expected, actual, pass] */
  expectations: Array<[string, string, number, boolean]>;
  stallMsByPartition: Record<string, number>;
  committed: Record<string, number>;
  /** A team's own consumer's command (client 'custom'), or null. */
  command: string | null;
  /** First offenders per anomaly kind with any: [kind, "p0@12 (seq 12), …"] (results keep at most 50 each). */
  offenders: Array<[string, string]>;
  /** Every setting as text, in results' order. */
  settings: Array<[string, string]>;
  /** Fields of the consumer result this report does not draw (a newer harness's), as JSON text. */
  other: string | null;
  progress: ConsumerProgress | null;
}

const KNOWN_FIELDS = new Set(['group', 'settings', 'crash', 'deadlineMs', 'counts', 'stallMsByPartition', 'committed', 'anomalies', 'expectations', 'command']);

export function consumerSection(s: ScenarioResult, ops: ReadonlyArray<HistoryOp | null> | null, windows: readonly FaultWindow[]): ConsumerSection | null {
  const c = s.consumer as unknown;
  if (!c || typeof c !== 'object') return null;
  const r = c as Record<string, unknown>;
  const settings = record(r.settings);
  const mode = typeof settings.mode === 'string' ? settings.mode : String(s.mode ?? 'unknown');
  const rawCounts = record(r.counts);
  const counts: Record<string, number> = {};
  for (const name of [...CONSUMER_COUNT_NAMES, ...Object.keys(rawCounts)]) if (typeof rawCounts[name] === 'number') counts[name] = rawCounts[name] as number;
  const expectations = (Array.isArray(r.expectations) ? r.expectations : [])
    .filter((e): e is { count: string; op: 'eq'; value: number; actual: number; pass: boolean } => Boolean(e) && typeof e === 'object')
    .map((e): [string, string, number, boolean] => [String(e.count), describeExpected(e), Number(e.actual), Boolean(e.pass)]);
  const other = Object.fromEntries(Object.entries(r).filter(([k]) => !KNOWN_FIELDS.has(k)));
  return {
    mode,
    api: typeof settings.api === 'string' ? settings.api : null,
    group: typeof r.group === 'string' ? r.group : null,
    crash: crashText(r.crash),
    commitBehaviour: commitBehaviour(String(s.client), mode),
    commitsSeen: ops ? commitsSeen(ops) : null,
    counts,
    expectations,
    stallMsByPartition: numbers(r.stallMsByPartition),
    committed: numbers(r.committed),
    offenders: offenders(r.anomalies),
    command: Array.isArray(r.command) ? r.command.map(String).join(' ') : null,
    settings: Object.entries(settings).map(([k, v]) => [k, typeof v === 'string' ? v : safeJson(v)]),
    other: Object.keys(other).length > 0 ? safeJson(other) : null,
    progress: ops ? consumerProgress(ops, windows) : null,
  };
}

/** Offenders listed per kind in the report; the rest stay in results.json. @default 20 */
export const OFFENDERS_SHOWN = 20;

function offenders(anomalies: unknown): Array<[string, string]> {
  return Object.entries(record(anomalies)).filter(([, list]) => Array.isArray(list) && list.length > 0).map(([kind, list]) => {
    const items = (list as unknown[]).slice(0, OFFENDERS_SHOWN).map(offenderText);
    const more = (list as unknown[]).length - items.length;
    return [kind, items.join(', ') + (more > 0 ? `, and ${more} more in results.json` : '')];
  });
}

/** `p0@12 (seq 12)` for a record, `c1 p0 5→9` for a poll gap or regression, JSON for a shape this report does not know. */
function offenderText(item: unknown): string {
  const o = record(item);
  if (typeof o.partition === 'number' && typeof o.offset === 'number') return `p${o.partition}@${o.offset}${typeof o.seq === 'number' ? ` (seq ${o.seq})` : ''}`;
  if (typeof o.partition === 'number' && typeof o.fromOffset === 'number' && typeof o.toOffset === 'number') return `${String(o.consumer ?? '?')} p${o.partition} ${o.fromOffset}→${o.toOffset}`;
  return safeJson(item);
}

function commitsSeen(ops: ReadonlyArray<HistoryOp | null>): [number, number, number, number, number] {
  const seen: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const op of ops) {
    if (op?.f !== 'commit' || op.type === 'invoke') continue;
    const auto = (op.value as { auto?: unknown } | null)?.auto === true;
    if (auto) seen[op.type === 'ok' ? 3 : 4]++;
    else seen[op.type === 'ok' ? 0 : op.type === 'fail' ? 1 : 2]++;
  }
  return seen;
}

function crashText(crash: unknown): string | null {
  if (!crash || typeof crash !== 'object') return null;
  const { atMs, restartAfterMs, from } = crash as { atMs?: unknown; restartAfterMs?: unknown; from?: unknown };
  const s = (ms: unknown) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '?');
  // Results written before `from` existed counted from `ready`.
  const clock = from === 'first-process' ? 'its first processed record' : from === undefined || from === 'ready' ? 'it was ready' : `"${String(from)}"`;
  return `SIGKILL ${s(atMs)} after ${clock}; a new member joined the same group ${s(restartAfterMs)} later`;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function numbers(value: unknown): Record<string, number> {
  return Object.fromEntries(Object.entries(record(value)).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
