import fs from 'node:fs';
import type { HistoryWriter } from './history-writer';
import { sendLineBound, writeSendInvoke, writeSendOk } from './send-op-bytes';

/** Bytes of lines held between writes; a full buffer is written at once. @default 1 MiB */
const WRITE_BUFFER_BYTES = 1 << 20;

/**
 * Lines encoded by the main thread straight into one buffer (send ops as bytes, send-op-bytes.ts;
 * no string joined per flush). Flushes are positioned writes handed to libuv's thread pool, one at
 * a time and in order (the file stays a prefix of the history), so that writing the file is not on
 * the main thread the client's callbacks run on. `writeAllNow` writes, synchronously, every buffer
 * not yet written (one in flight is written again: the same bytes at the same place). The file is
 * closed only once no write is in flight.
 */
export class ForegroundHistoryWriter implements HistoryWriter {
  private pending: Buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private pendingBytes = 0;
  /** Where the next write goes: the bytes handed to writes so far. */
  private written = 0;
  /** Buffers handed over and not yet written, oldest first; the first is in flight when `writing`. */
  private readonly unwritten: Array<{ buffer: Buffer; length: number; position: number }> = [];
  private writing = false;
  private readonly spareBuffers: Buffer[] = [];
  private writeError?: Error;
  private closing = false;
  private fdClosed = false;

  constructor(private readonly fd: number, private readonly file: string) {}

  invoke(process: string, index: number, timeMs: number, seq: number, key: string | null, partition: number | null, attempt: number): void {
    const bound = sendLineBound(process, key);
    if (bound > this.pending.length) return this.line(JSON.stringify({ index, timeMs, process, type: 'invoke', f: 'send', value: { seq, key, partition, attempt } })); // a key of ~60k characters
    this.room(bound);
    this.pendingBytes = writeSendInvoke(this.pending, this.pendingBytes, index, timeMs, process, seq, key, partition, attempt);
  }

  ok(process: string, index: number, timeMs: number, seq: number, attempt: number, partition: number | null, offset: number | null, late: boolean): void {
    this.room(sendLineBound(process, null));
    this.pendingBytes = writeSendOk(this.pending, this.pendingBytes, index, timeMs, process, seq, attempt, partition, offset, late);
  }

  line(line: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit; +1 for the newline.
    const most = line.length * 3 + 1;
    if (most > this.pending.length) {
      this.writeAllNow(); // a rare line larger than the buffer: written in place, in order
      const bytes = Buffer.from(`${line}\n`);
      fs.writeSync(this.fd, bytes, 0, bytes.length, this.written);
      this.written += bytes.length;
      return;
    }
    this.room(most);
    this.pendingBytes += this.pending.write(line, this.pendingBytes);
    this.pending[this.pendingBytes++] = 0x0a;
  }

  /** Hands the buffered lines to a write in libuv's thread pool, and goes on in a fresh buffer. */
  flush(): void {
    if (this.pendingBytes === 0) return;
    this.unwritten.push({ buffer: this.pending, length: this.pendingBytes, position: this.written });
    this.written += this.pendingBytes;
    this.pending = this.spareBuffers.pop() ?? Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    this.pendingBytes = 0;
    this.writeNext();
  }

  writeAllNow(): number {
    for (const write of this.unwritten.splice(0)) fs.writeSync(this.fd, write.buffer, 0, write.length, write.position);
    if (this.pendingBytes > 0) {
      fs.writeSync(this.fd, this.pending, 0, this.pendingBytes, this.written);
      this.written += this.pendingBytes;
      this.pendingBytes = 0;
    }
    if (this.writeError) throw new Error(`${this.file}: writing the history failed: ${this.writeError.message}`, { cause: this.writeError });
    return this.written;
  }

  close(): void {
    this.closing = true;
    this.closeFileOnceIdle(); // else the last write in flight closes it
  }

  private room(bytes: number): void {
    if (this.pendingBytes + bytes > this.pending.length) this.flush();
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
      // writeAllNow may have written (and dropped) it meanwhile.
      if (this.unwritten[0] === write) this.unwritten.shift();
      this.spareBuffers.push(write.buffer);
      if (this.closing) this.closeFileOnceIdle();
      else this.writeNext();
    });
  }

  private closeFileOnceIdle(): void {
    if (this.fdClosed || this.writing) return;
    this.fdClosed = true;
    fs.closeSync(this.fd);
  }
}
