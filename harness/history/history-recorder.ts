import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { HistoryOp, OpFunction, OpType } from './history-types';

/** Bytes of lines held between writes; a full buffer is written at once. @default 1 MiB */
const WRITE_BUFFER_BYTES = 1 << 20;
/** Bytes of history.jsonl parsed per read by `ops`. @default 64 MiB */
const READ_BACK_CHUNK_BYTES = 64 << 20;

/**
 * Appends every op to history.jsonl as it happens (a crash leaves a readable prefix); `ops` reads
 * them back for the checker. Times are ms since the recorder was created.
 *
 * The file is the only copy: nothing recorded stays in memory beyond the next flush. Op objects
 * kept for a whole run outlive V8's young generation, and at full speed (hundreds of thousands of
 * ops) collecting them took most of the harness's time on its hot path. `ops` parses the lines
 * written since its last call, so the checker sees exactly what the file says.
 */
export class HistoryRecorder {
  private count = 0;
  private readonly fd: number;
  private startedAt = performance.now();
  /** Lines not yet written, UTF-8 encoded straight into one buffer (no string joined per flush). */
  private readonly pending = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private pendingBytes = 0;
  private flushTimer?: NodeJS.Timeout;
  private closed = false;
  /** Ops parsed back from the file, and how many of its bytes they cover. */
  private readBack: HistoryOp[] = [];
  private readBytes = 0;

  /** @param readBackChunkBytes bytes parsed per read by `ops` (tests use a small one). */
  constructor(readonly file: string, private readonly readBackChunkBytes = READ_BACK_CHUNK_BYTES) {
    this.fd = fs.openSync(file, 'w+'); // read back by `ops`
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
    // After close nothing should come: run-scenario waits for the client's last outcomes first and
    // reports any still missing (clientOutcomesMissing).
    if (this.closed) return op;
    this.count++;
    this.append(opLine(op));
    // Batched writes keep the recorder off the producer's hot path; 20 ms bounds what a crash can lose.
    this.flushTimer ??= setTimeout(() => this.flush(), 20);
    return op;
  }

  /** Every op recorded so far (until close), as written to the file. */
  get ops(): HistoryOp[] {
    if (this.closed) return this.readBack; // read to the end at close
    this.flush();
    const size = fs.fstatSync(this.fd).size;
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

  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingBytes === 0) return;
    fs.writeSync(this.fd, this.pending, 0, this.pendingBytes);
    this.pendingBytes = 0;
  }

  private append(line: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit; +1 for the newline.
    const most = line.length * 3 + 1;
    if (this.pendingBytes + most > this.pending.length) this.flush();
    if (most > this.pending.length) {
      fs.writeSync(this.fd, `${line}\n`);
      return;
    }
    this.pendingBytes += this.pending.write(line, this.pendingBytes);
    this.pending[this.pendingBytes++] = 0x0a;
  }

  close(): void {
    if (this.closed) return;
    try {
      void this.ops; // flushes, and reads the file to its end while it is open
    } finally {
      this.closed = true;
      fs.closeSync(this.fd);
    }
  }
}

/**
 * JSON.stringify(op), byte for byte (same keys, same order), with only the value left to
 * JSON.stringify: a quarter less time per op on the full-speed path. index and timeMs are integers,
 * type and f come from fixed lists with nothing to escape.
 */
export function opLine(op: HistoryOp): string {
  const late = op.late === true ? ',"late":true' : '';
  return `{"index":${op.index},"timeMs":${op.timeMs},"process":${JSON.stringify(op.process)},"type":"${op.type}","f":"${op.f}","value":${JSON.stringify(op.value)}${late}}`;
}
