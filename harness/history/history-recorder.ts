import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { HistoryOp, OpFunction, OpType } from './history-types';
import { SEND_LINES, sendLineBound, viewOf } from './send-op-bytes';

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
 *
 * Flushes are positioned writes handed to libuv's thread pool, one at a time and in order (the
 * file stays a prefix of the history), so that writing the file is not on the main thread the
 * client's callbacks run on. `ops` and `close` first write, synchronously, every buffer not yet
 * written (one in flight is written again: the same bytes at the same place), so what they read is
 * complete. The file is closed only once no write is in flight.
 */
export class HistoryRecorder {
  private count = 0;
  private readonly fd: number;
  private startedAt = performance.now();
  /** The timeMs of the last op recorded (recordSendInvoke returns only the index). */
  lastTimeMs = 0;
  /** Lines not yet written, UTF-8 encoded straight into one buffer (no string joined per flush). */
  private pending: Buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  /** A view on `pending`, for the send lines' writer (SEND_LINES: one per process, send-op-bytes.ts says why). */
  private pendingView = viewOf(this.pending);
  private pendingBytes = 0;
  /** Where the next write goes: the bytes handed to writes so far. */
  private written = 0;
  /** Buffers handed over and not yet written, oldest first; the first is in flight when `writing`. */
  private readonly unwritten: Array<{ buffer: Buffer; length: number; position: number }> = [];
  private writing = false;
  private readonly spareBuffers: Buffer[] = [];
  private writeError?: Error;
  private fdClosed = false;
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
    this.lastTimeMs = op.timeMs;
    // After close nothing should come: run-scenario waits for the client's last outcomes first and
    // reports any still missing (clientOutcomesMissing).
    if (this.closed) return op;
    this.count++;
    this.append(opLine(op));
    this.flushSoon();
    return op;
  }

  /**
   * record(process, 'invoke', 'send', { seq, key, partition, attempt }), the same line, with no op
   * object or string built (send-op-bytes.ts): the workload's path for every send. Returns the
   * op's index; its time is `lastTimeMs`.
   */
  recordSendInvoke(process: string, seq: number, key: string | null, partition: number | null, attempt: number): number {
    // A team's own strategy or client may hand over other types (and a key of ~60k characters
    // would not fit the buffer): JSON.stringify writes what they are.
    const typed = fastProcess(process) && isNumber(seq) && (key === null || typeof key === 'string') && isNumberOrNull(partition) && isNumber(attempt);
    const bound = typed ? sendLineBound(process, key) : Infinity;
    if (bound > this.pending.length) return this.record(process, 'invoke', 'send', { seq, key, partition, attempt }).index;
    this.lastTimeMs = this.now();
    if (this.closed) return this.count;
    const index = this.count++;
    this.reserve(bound);
    this.pendingBytes = SEND_LINES.into(this.pending, this.pendingView).invoke(this.pendingBytes, index, this.lastTimeMs, process, seq, key, partition, attempt);
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
    this.reserve(sendLineBound(process, null));
    this.pendingBytes = SEND_LINES.into(this.pending, this.pendingView).ok(this.pendingBytes, index, this.lastTimeMs, process, seq, attempt, partition, offset, late);
    this.flushSoon();
    return index;
  }

  /** Every op recorded so far (until close), as written to the file. */
  get ops(): HistoryOp[] {
    if (this.closed) return this.readBack; // read to the end at close
    this.writeEverythingNow();
    const size = this.written;
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

  /** Hands the buffered lines to a write in libuv's thread pool, and goes on in a fresh buffer. */
  flush(): void {
    this.cancelFlush();
    if (this.pendingBytes === 0) return;
    this.unwritten.push({ buffer: this.pending, length: this.pendingBytes, position: this.written });
    this.written += this.pendingBytes;
    this.pending = this.spareBuffers.pop() ?? Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    this.pendingView = viewOf(this.pending);
    this.pendingBytes = 0;
    this.writeNext();
  }

  private writeNext(): void {
    if (this.writing || this.unwritten.length === 0) return;
    this.writing = true;
    const write = this.unwritten[0];
    fs.write(this.fd, write.buffer, 0, write.length, write.position, (error, bytesWritten) => {
      try {
        // A regular file takes a write whole; a short one is finished here rather than lost.
        if (!error && bytesWritten < write.length) fs.writeSync(this.fd, write.buffer, bytesWritten, write.length - bytesWritten, write.position + bytesWritten);
      } catch (shortWriteError) {
        error = shortWriteError as NodeJS.ErrnoException;
      }
      if (error) this.writeError ??= error;
      this.writing = false;
      // writeEverythingNow may have written (and dropped) it meanwhile.
      if (this.unwritten[0] === write) this.unwritten.shift();
      this.spareBuffers.push(write.buffer);
      if (this.closed) this.closeFileOnceIdle();
      else this.writeNext();
    });
  }

  /** Every line recorded, on disk now: the buffers not yet written (one in flight again), then the current one. */
  private writeEverythingNow(): void {
    this.cancelFlush();
    for (const write of this.unwritten.splice(0)) fs.writeSync(this.fd, write.buffer, 0, write.length, write.position);
    if (this.pendingBytes > 0) {
      fs.writeSync(this.fd, this.pending, 0, this.pendingBytes, this.written);
      this.written += this.pendingBytes;
      this.pendingBytes = 0;
    }
    if (this.writeError) throw new Error(`${this.file}: writing the history failed: ${this.writeError.message}`, { cause: this.writeError });
  }

  private closeFileOnceIdle(): void {
    if (this.fdClosed || this.writing) return;
    this.fdClosed = true;
    fs.closeSync(this.fd);
  }

  /** Batched writes keep the recorder off the producer's hot path; 20 ms bounds what a crash can lose. */
  private flushSoon(): void {
    if (this.flushTimer === undefined) this.flushTimer = setTimeout(this.flushFromTimer, 20);
  }

  /**
   * The timer's callback, made once: an arrow written inside flushSoon would make V8 allocate a
   * context for `this` on every call (two per message at full speed), timer or not.
   */
  private readonly flushFromTimer = () => this.flush();

  private cancelFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  /** Makes room for `bytes` (at most the buffer's size) in the buffer. */
  private reserve(bytes: number): void {
    if (this.pendingBytes + bytes > this.pending.length) this.flush();
  }

  private append(line: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit; +1 for the newline.
    const most = line.length * 3 + 1;
    if (most > this.pending.length) {
      this.writeEverythingNow(); // a rare line larger than the buffer: written in place, in order
      const bytes = Buffer.from(`${line}\n`);
      fs.writeSync(this.fd, bytes, 0, bytes.length, this.written);
      this.written += bytes.length;
      return;
    }
    if (this.pendingBytes + most > this.pending.length) this.flush();
    this.pendingBytes += this.pending.write(line, this.pendingBytes);
    this.pending[this.pendingBytes++] = 0x0a;
  }

  close(): void {
    if (this.closed) return;
    try {
      void this.ops; // writes everything, and reads the file to its end while it is open
    } finally {
      this.closed = true;
      this.closeFileOnceIdle(); // else the last write in flight closes it
    }
  }
}

/** The send methods size their room for a short process name ("p1"); any other goes the general way. */
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
