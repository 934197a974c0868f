import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HistoryOp } from '../harness/history/history-types';

/** Lines shown before and after each of a message's ops in the report. @default 3 */
export const DEFAULT_CONTEXT_LINES = 3;

/** A history.jsonl as read for the report: raw lines (shown verbatim) and their parsed ops. */
export interface HistoryFile {
  path: string;
  lines: string[];
  /** Same index as `lines`; null for a line that is not a valid op (shown, never indexed). */
  ops: Array<HistoryOp | null>;
}

export type HistoryLoad = { ok: true; file: HistoryFile } | { ok: false; path: string; reason: string };

/**
 * Reads a scenario's history from the run folder (`artifacts.history` is relative to it).
 * Never throws: a report about a run with a missing or broken history says so and goes on.
 */
export function loadHistory(runDir: string, relativePath: string | undefined): HistoryLoad {
  if (!relativePath) return { ok: false, path: '(none)', reason: 'the scenario lists no history artifact' };
  const path = resolve(runDir, relativePath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, path, reason: code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? String(err)})` };
  }
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { ok: true, file: { path, lines, ops: lines.map(parseOp) } };
}

function parseOp(line: string): HistoryOp | null {
  try {
    const op = JSON.parse(line) as HistoryOp;
    return typeof op === 'object' && op !== null && typeof op.type === 'string' ? op : null;
  } catch {
    return null;
  }
}

/** The seq a send op is about, or undefined (fault ops, broken lines). */
export function seqOf(op: HistoryOp | null): number | undefined {
  if (!op || op.f !== 'send') return undefined;
  const seq = (op.value as { seq?: unknown } | undefined)?.seq;
  return typeof seq === 'number' ? seq : undefined;
}

/** Line positions (0-based) of the send ops of each wanted seq, in file order. */
export function linesBySeq(file: HistoryFile, seqs: ReadonlySet<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  file.ops.forEach((op, line) => {
    const seq = seqOf(op);
    if (seq === undefined || !seqs.has(seq)) return;
    const list = out.get(seq);
    if (list) list.push(line);
    else out.set(seq, [line]);
  });
  return out;
}

/** One contiguous excerpt of the history; `own` marks the lines of the message itself. */
export interface HistoryExcerpt {
  lines: Array<{ lineNo: number; text: string; own: boolean }>;
}

/**
 * ±radius lines around each of the given positions, overlapping windows merged. A message's
 * invoke and its answer can be thousands of lines apart, so separate excerpts, not one span.
 */
export function excerptsAround(file: HistoryFile, positions: readonly number[], radius = DEFAULT_CONTEXT_LINES): HistoryExcerpt[] {
  const own = new Set(positions);
  const sorted = [...own].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const p of sorted) {
    const from = Math.max(0, p - radius);
    const to = Math.min(file.lines.length - 1, p + radius);
    const last = ranges[ranges.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  return ranges.map(([from, to]) => ({
    lines: file.lines.slice(from, to + 1).map((text, i) => ({ lineNo: from + i + 1, text, own: own.has(from + i) })),
  }));
}
