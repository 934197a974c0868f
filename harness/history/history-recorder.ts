import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { BackgroundHistoryWriter } from './background-history-writer';
import { ForegroundHistoryWriter } from './foreground-history-writer';
import type { HistoryWriter } from './history-writer';
import { HistoryOp, OpFunction, OpType } from './history-types';

/** Bytes of history.jsonl parsed per read by `ops`. @default 64 MiB */
const READ_BACK_CHUNK_BYTES = 64 << 20;
/** A crash loses at most this much of the history: the buffer is handed on to be written after it. @default 20 */
const FLUSH_AFTER_MS = 20;

export interface RecorderOptions {
  /** Bytes parsed per read by `ops` (tests use a small one). @default 64 MiB */
  readBackChunkBytes?: number;
  /**
   * Encode and write the lines in a worker thread (background-history-writer.ts): for a client at
   * full speed, whose callbacks share the main thread with the recorder. @default false
   */
  background?: boolean;
}

/**
 * Appends every op to history.jsonl as it happens (a crash leaves a readable prefix); `ops` reads
 * them back for the checker. Times are ms since the recorder was created.
 *
 * The file is the only copy: nothing recorded stays in memory beyond the next flush. Op objects
 * kept for a whole run outlive V8's young generation, and at full speed (hundreds of thousands of
 * ops) collecting them took most of the harness's time on its hot path. `ops` parses the lines
 * written since its last call, so the checker sees exactly what the file says. A send's invoke and
 * ok, two per message at full speed, have methods of their own that build no op object.
 */
export class HistoryRecorder {
  private count = 0;
  private readonly fd: number;
  private readonly writer: HistoryWriter;
  private readonly readBackChunkBytes: number;
  private startedAt = performance.now();
  /** The timeMs of the last op recorded (recordSendInvoke returns only the index). */
  lastTimeMs = 0;
  private flushTimer?: NodeJS.Timeout;
  private closed = false;
  /** Ops parsed back from the file, and how many of its bytes they cover. */
  private readBack: HistoryOp[] = [];
  private readBytes = 0;

  constructor(readonly file: string, options: RecorderOptions = {}) {
    this.readBackChunkBytes = options.readBackChunkBytes ?? READ_BACK_CHUNK_BYTES;
    this.fd = fs.openSync(file, 'w+'); // read back by `ops`
    try {
      this.writer = options.background ? new BackgroundHistoryWriter(this.fd, file) : new ForegroundHistoryWriter(this.fd, file);
    } catch (error) {
      fs.closeSync(this.fd);
      throw error;
    }
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
    const op: HistoryOp = { index: this.count, timeMs: this.now(), process, type, f, value, ...flags };
    this.lastTimeMs = op.timeMs;
    // After close nothing should come: run-scenario waits for the client's last outcomes first and
    // reports any still missing (clientOutcomesMissing).
    if (this.closed) return op;
    this.count++;
    this.writer.line(opLine(op));
    this.flushSoon();
    return op;
  }

  /**
   * record(process, 'invoke', 'send', { seq, key, partition, attempt }), the same line, with no op
   * object or string built: the workload's path for every send. Returns the op's index; its time
   * is `lastTimeMs`.
   */
  recordSendInvoke(process: string, seq: number, key: string | null, partition: number | null, attempt: number): number {
    // A team's own strategy or client may hand over other types: JSON.stringify writes what they are.
    if (!fastProcess(process) || !isNumber(seq) || !(key === null || typeof key === 'string') || !isNumberOrNull(partition) || !isNumber(attempt)) {
      return this.record(process, 'invoke', 'send', { seq, key, partition, attempt }).index;
    }
    this.lastTimeMs = this.now();
    if (this.closed) return this.count;
    const index = this.count++;
    this.writer.invoke(process, index, this.lastTimeMs, seq, key, partition, attempt);
    this.flushSoon();
    return index;
  }

  /** record(process, 'ok', 'send', { seq, attempt, partition, offset }, late ? { late: true } : undefined), the same line, as recordSendInvoke. */
  recordSendOk(process: string, seq: number, attempt: number, partition: number | null, offset: number | null, late: boolean): number {
    // A team's own client may answer with an offset as a string, or none: JSON.stringify writes what it gave.
    if (!fastProcess(process) || !isNumber(seq) || !isNumber(attempt) || !isNumberOrNull(partition) || !isNumberOrNull(offset)) {
      return this.record(process, 'ok', 'send', { seq, attempt, partition, offset }, late ? { late: true } : undefined).index;
    }
    this.lastTimeMs = this.now();
    if (this.closed) return this.count;
    const index = this.count++;
    this.writer.ok(process, index, this.lastTimeMs, seq, attempt, partition, offset, late);
    this.flushSoon();
    return index;
  }

  /** Every op recorded so far (until close), as written to the file. */
  get ops(): HistoryOp[] {
    if (this.closed) return this.readBack; // read to the end at close
    this.cancelFlush();
    const size = this.writer.writeAllNow();
    while (this.readBytes < size) {
      // In chunks that end at a newline: one string for a whole long run could pass V8's string limit.
      const chunk = Buffer.allocUnsafe(Math.min(this.readBackChunkBytes, size - this.readBytes));
      const read = fs.readSync(this.fd, chunk, 0, chunk.length, this.readBytes);
      const end = chunk.lastIndexOf(0x0a, read - 1);
      if (end < 0) throw new Error(`${this.file}: a line longer than ${this.readBackChunkBytes} bytes at byte ${this.readBytes}`);
      for (const line of chunk.toString('utf8', 0, end).split('\n')) if (line) this.readBack.push(JSON.parse(line) as HistoryOp);
      this.readBytes += end + 1;
    }
    return this.readBack;
  }

  /** Hands what is buffered on to be written, without waiting for it. */
  flush(): void {
    this.cancelFlush();
    this.writer.flush();
  }

  close(): void {
    if (this.closed) return;
    try {
      void this.ops; // writes everything, and reads the file to its end while it is open
    } finally {
      this.closed = true;
      this.writer.close();
    }
  }

  private flushSoon(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
  }

  private cancelFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }
}

/** The send methods' writers size their room for a short process name ("p1"); any other goes the general way. */
const fastProcess = (process: string) => typeof process === 'string' && process.length <= 256;
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isNumberOrNull = (value: unknown): value is number | null => value === null || typeof value === 'number';

/**
 * JSON.stringify(op), byte for byte (same keys, same order), with only the value left to
 * JSON.stringify: a quarter less time per op on the full-speed path. index and timeMs are integers,
 * type and f come from fixed lists with nothing to escape.
 */
export function opLine(op: HistoryOp): string {
  const late = op.late === true ? ',"late":true' : '';
  return `{"index":${op.index},"timeMs":${op.timeMs},"process":${JSON.stringify(op.process)},"type":"${op.type}","f":"${op.f}","value":${JSON.stringify(op.value)}${late}}`;
}
