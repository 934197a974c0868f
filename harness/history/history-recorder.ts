import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { HistoryOp, OpFunction, OpType } from './history-types';

/**
 * Appends every op to history.jsonl as it happens (a crash leaves a readable prefix) and keeps
 * them in memory for the checker. Times are ms since the recorder was created.
 */
export class HistoryRecorder {
  readonly ops: HistoryOp[] = [];
  private readonly fd: number;
  private startedAt = performance.now();
  private pending: string[] = [];
  private flushTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  /** Milliseconds since the scenario started. */
  now(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  /** Makes "now" time 0; only meaningful before the first op is recorded. */
  restartClock(): void {
    this.startedAt = performance.now();
  }

  record(process: string, type: OpType, f: OpFunction, value: HistoryOp['value'], flags?: { late?: true }): HistoryOp {
    const op: HistoryOp = { index: this.ops.length, timeMs: this.now(), process, type, f, value, ...flags };
    // After close nothing should come: run-scenario waits for the client's last outcomes first and
    // reports any still missing (clientOutcomesMissing).
    if (this.closed) return op;
    this.ops.push(op);
    this.pending.push(JSON.stringify(op));
    // Batched writes keep the recorder off the producer's hot path; 20 ms bounds what a crash can lose.
    this.flushTimer ??= setTimeout(() => this.flush(), 20);
    return op;
  }

  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    fs.writeSync(this.fd, this.pending.join('\n') + '\n');
    this.pending = [];
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
