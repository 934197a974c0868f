import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HistoryOp, SendFailValue, SendInvokeValue, SendOkValue } from '../harness/history/history-types';
import type { ScenarioResult } from './results-types';
import { excerptsAround, linesBySeq, loadHistory, type HistoryExcerpt, type HistoryFile } from './history-context';

/** How many lost or duplicated messages the report details per scenario. @default 50 */
export const MAX_FINDINGS = 50;

export type FindingKind = 'lostAcked' | 'undelivered' | 'duplicate';

/** One lost or duplicated message, with what the history says about it. */
export interface MessageFinding {
  seq: number;
  /** A lostAcked message is also undelivered; both are listed. */
  kinds: FindingKind[];
  /** Where it was acked, else where the failing send went, else the partition asked for. */
  partition: number | null;
  leader: number | null;
  /** 'fail op' when the producer's fail op named the leader, 'at start' from the scenario's leaders. */
  leaderSource: 'fail op' | 'at start' | null;
  /** The last error the producer saw for this seq (fail, or info carrying an error). */
  error: string | null;
  /** What the producer last heard: acked / failed / indeterminate / no answer. */
  outcome: string;
  attempts: number;
  /** For duplicates: where the copies were read back, when observed.jsonl is available. */
  copies: Array<{ partition: number; offset: number }> | null;
  /** History lines around this seq's ops; null when the history is unavailable. */
  context: HistoryExcerpt[] | null;
}

export interface ScenarioFindings {
  findings: MessageFinding[];
  /** Distinct seqs that are lost or duplicated, before the cap. */
  total: number;
  /** Set when the history could not be read: the report says so instead of showing context. */
  historyProblem: string | null;
}

/**
 * The first MAX_FINDINGS lost or duplicated messages of a scenario, most serious first
 * (lostAcked, then undelivered, then duplicates), from the checker's anomalies and the
 * scenario's history.jsonl in the run folder.
 */
export function findMessages(scenario: ScenarioResult, runDir: string, max = MAX_FINDINGS): ScenarioFindings {
  const kindsBySeq = new Map<number, FindingKind[]>();
  const add = (seqs: readonly number[] | undefined, kind: FindingKind) => {
    for (const seq of seqs ?? []) {
      const kinds = kindsBySeq.get(seq);
      if (kinds) {
        if (!kinds.includes(kind)) kinds.push(kind);
      } else {
        kindsBySeq.set(seq, [kind]);
      }
    }
  };
  add(scenario.anomalies?.lostAcked, 'lostAcked');
  add(scenario.anomalies?.undelivered, 'undelivered');
  add(scenario.anomalies?.duplicates, 'duplicate');

  const chosen = [...kindsBySeq.keys()].slice(0, max);
  if (chosen.length === 0) return { findings: [], total: 0, historyProblem: null };

  const history = loadHistory(runDir, scenario.artifacts?.history);
  const file: HistoryFile | null = history.ok ? history.file : null;
  const positions = file ? linesBySeq(file, new Set(chosen)) : new Map<number, number[]>();
  const duplicated = chosen.filter((seq) => kindsBySeq.get(seq)?.includes('duplicate'));
  const copies = duplicated.length > 0 ? readCopies(runDir, scenario.artifacts?.observed, new Set(duplicated)) : null;

  const findings = chosen.map((seq): MessageFinding => {
    const lines = positions.get(seq) ?? [];
    const ops = file ? lines.map((l) => file.ops[l]).filter((op): op is HistoryOp => op !== null) : [];
    const kinds = kindsBySeq.get(seq) ?? [];
    return {
      seq,
      kinds,
      ...describeOps(ops, scenario.leaders ?? {}),
      ...(file ? {} : { outcome: 'unknown (history unavailable)' }),
      copies: kinds.includes('duplicate') && copies ? copies.get(seq) ?? [] : null,
      context: file ? excerptsAround(file, lines) : null,
    };
  });
  return {
    findings,
    total: kindsBySeq.size,
    historyProblem: history.ok ? null : `history not available at ${history.path}: ${history.reason}`,
  };
}

function describeOps(ops: HistoryOp[], leaders: Record<string, number>): Pick<MessageFinding, 'partition' | 'leader' | 'leaderSource' | 'error' | 'outcome' | 'attempts'> {
  const of = (type: HistoryOp['type']) => ops.filter((op) => op.type === type);
  const lastOk = of('ok').at(-1)?.value as SendOkValue | undefined;
  const lastFail = of('fail').at(-1)?.value as SendFailValue | undefined;
  const lastInvoke = of('invoke').at(-1)?.value as SendInvokeValue | undefined;
  const completions = ops.filter((op) => op.type !== 'invoke');
  const last = completions.at(-1);

  const partition = numberOrNull(lastOk?.partition) ?? numberOrNull(lastFail?.partition) ?? numberOrNull(lastInvoke?.partition);
  const failLeader = [...of('fail')].reverse().map((op) => numberOrNull((op.value as SendFailValue).leader)).find((l) => l !== null) ?? null;
  const startLeader = partition !== null ? numberOrNull(leaders[String(partition)]) : null;
  const errorOp = [...completions].reverse().find((op) => op.type !== 'ok' && typeof (op.value as { error?: unknown }).error === 'string');

  let outcome = 'no answer (indeterminate)';
  if (ops.length === 0) outcome = 'not in the history';
  else if (last?.type === 'ok') outcome = `acked at partition ${(last.value as SendOkValue).partition}, offset ${(last.value as SendOkValue).offset}`;
  else if (last?.type === 'fail') outcome = 'failed (the client said not written)';
  else if (last?.type === 'info') outcome = 'indeterminate (no definite answer)';

  return {
    partition,
    leader: failLeader ?? startLeader,
    leaderSource: failLeader !== null ? 'fail op' : startLeader !== null ? 'at start' : null,
    error: errorOp ? (errorOp.value as { error: string }).error : null,
    outcome,
    attempts: of('invoke').length,
  };
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Where each wanted seq was read back; null when observed.jsonl cannot be read. */
function readCopies(runDir: string, relativePath: string | undefined, seqs: ReadonlySet<number>): Map<number, Array<{ partition: number; offset: number }>> | null {
  if (!relativePath) return null;
  let text: string;
  try {
    text = readFileSync(resolve(runDir, relativePath), 'utf8');
  } catch {
    return null;
  }
  const out = new Map<number, Array<{ partition: number; offset: number }>>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const rec = JSON.parse(line) as { seq?: unknown; partition?: unknown; offset?: unknown };
      if (typeof rec.seq !== 'number' || !seqs.has(rec.seq)) continue;
      const list = out.get(rec.seq) ?? [];
      list.push({ partition: Number(rec.partition), offset: Number(rec.offset) });
      out.set(rec.seq, list);
    } catch {
      // A broken line is the verifier's problem, reported by the checker; skip it here.
    }
  }
  return out;
}
