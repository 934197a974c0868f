import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors';
import { isAlive } from '../process/process-liveness';

/**
 * The on-disk backlog: messages the resilient producer accepted but could not deliver yet, in one
 * append-only JSON-lines file, `backlog.jsonl`, in the backlog dir.
 *
 *   {"id":7,"p":0,"k":"k-7","v":"<base64>"}      a message (p: its partition when held for one; null: any)
 *   {"done":[3,4,7]}                             messages delivered since (acked by Kafka)
 *
 * - Appends and done marks are written in batches and each batch is fsynced before its callers
 *   hear back: a message is in the backlog (it survives a crash) once `append` has resolved.
 * - Opening a dir replays its file: the pending messages (appended, never marked done) come back
 *   in id order, so a new producer given the same dir takes over what a dead one left.
 * - A torn tail (a crash while a batch was being written) is ignored and cut off: only a suffix of
 *   incomplete or unparsable lines can be torn, and none of its messages was ever acknowledged to
 *   a caller (their fsync had not returned). An unparsable line *followed by* good ones is damage,
 *   not a torn write: opening fails with the line number rather than silently dropping messages.
 * - Delivery is at least once: a crash between Kafka's ack and the fsync of its done mark replays
 *   the message again.
 * - One producer per dir: `backlog.lock` holds the owner's pid; a live owner makes open fail, a
 *   dead one's lock is taken over.
 */

export const BACKLOG_FILE = 'backlog.jsonl';
export const BACKLOG_LOCK = 'backlog.lock';
/** @default 64 MiB */
export const DEFAULT_BACKLOG_MAX_BYTES = 64 * 1024 * 1024;
/** Rewrite the file without delivered messages once it is this many times the pending bytes (and over 1 MiB). */
const COMPACT_RATIO = 4;
const COMPACT_MIN_BYTES = 1024 * 1024;

export interface BacklogRecord {
  key: string | null;
  /** The partition the message is held for, or null when any partition will do. */
  partition: number | null;
  value: Buffer;
}

/** A pending message of the backlog; its value is read from the file on demand. */
export interface BacklogEntry {
  readonly id: number;
  readonly key: string | null;
  readonly partition: number | null;
  /** Byte offset and length of its line (newline included) in the file. */
  offset: number;
  readonly length: number;
}

export class BacklogFullError extends HarnessError {
  constructor(dir: string, maxBytes: number, neededBytes: number) {
    super(`backlog ${dir} is full: ${neededBytes} bytes would exceed maxBytes ${maxBytes}`, {
      hint: 'raise backlog.maxBytes, or slow down sends until the unreachable broker is back',
    });
    this.name = 'BacklogFullError';
  }
}

/** Dirs open in this process (a second producer on one dir in one process is a bug too). */
const openHere = new Set<string>();

interface WriteJob {
  text: string;
  /** Where the text goes: writes happen in queue order at the end of the file. */
  offset: number;
  done: () => void;
  fail: (error: Error) => void;
}

function parseLine(line: string): { id: number; p: number | null; k: string | null; v: string } | { done: number[] } | null {
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (Array.isArray(parsed.done) && parsed.done.every((id) => Number.isInteger(id))) return { done: parsed.done as number[] };
    const { id, p, k, v } = parsed;
    if (!Number.isInteger(id) || typeof v !== 'string') return null;
    if (p !== null && !Number.isInteger(p)) return null;
    if (k !== null && typeof k !== 'string') return null;
    return { id: id as number, p: p as number | null, k: k as string | null, v };
  } catch {
    return null;
  }
}

export class BacklogFile {
  readonly file: string;
  private readonly lockFile: string;
  private fd = -1;
  /** End of the file as far as queued writes go (the next line's offset). */
  private endOffset = 0;
  private readonly pending = new Map<number, BacklogEntry>();
  private nextId = 0;
  private pendingBytes = 0;
  /** Bytes of appends queued and not yet fsynced. */
  private reservedBytes = 0;
  private queue: WriteJob[] = [];
  private writing: Promise<void> | null = null;
  private closed = false;
  /** Set when a write failed: the file's tail is unknown, so nothing more is appended. */
  private broken: Error | null = null;
  private torn = 0;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {
    this.file = path.join(dir, BACKLOG_FILE);
    this.lockFile = path.join(dir, BACKLOG_LOCK);
  }

  /** Opens (creating) the backlog in `dir`, taking its lock and loading what an earlier owner left. */
  static open(dir: string, options: { maxBytes?: number } = {}): BacklogFile {
    const backlog = new BacklogFile(path.resolve(dir), options.maxBytes ?? DEFAULT_BACKLOG_MAX_BYTES);
    fs.mkdirSync(backlog.dir, { recursive: true });
    backlog.lock();
    try {
      backlog.load();
    } catch (error) {
      if (backlog.fd >= 0) fs.closeSync(backlog.fd);
      backlog.unlock();
      throw error;
    }
    return backlog;
  }

  /** Pending messages: appended (fsynced), not yet marked delivered. */
  get size(): number {
    return this.pending.size;
  }

  /** Bytes of the pending messages' lines. */
  get bytes(): number {
    return this.pendingBytes;
  }

  /** Lines cut off as a torn tail when the file was opened. */
  get tornLinesDropped(): number {
    return this.torn;
  }

  /** Pending messages, oldest (lowest id) first. */
  entries(): IterableIterator<BacklogEntry> {
    return this.pending.values();
  }

  has(id: number): boolean {
    return this.pending.has(id);
  }

  /** Reads a pending message back from the file. */
  read(entry: BacklogEntry): BacklogRecord {
    const buffer = Buffer.alloc(entry.length);
    fs.readSync(this.fd, buffer, 0, entry.length, entry.offset);
    const parsed = parseLine(buffer.toString('utf8').trimEnd());
    if (!parsed || 'done' in parsed || parsed.id !== entry.id) throw new HarnessError(`backlog ${this.file}: message ${entry.id} at byte ${entry.offset} cannot be read back`);
    return { key: parsed.k, partition: parsed.p, value: Buffer.from(parsed.v, 'base64') };
  }

  /**
   * Appends messages; resolves with their entries once they are fsynced (from then on they are
   * pending). Rejects at once with BacklogFullError (nothing appended) when they would take the
   * pending bytes over maxBytes.
   */
  append(records: BacklogRecord[]): Promise<BacklogEntry[]> {
    if (this.closed) return Promise.reject(new HarnessError(`backlog ${this.file} is closed`));
    if (this.broken) return Promise.reject(this.broken);
    const offset = this.endOffset;
    let at = offset;
    const entries: BacklogEntry[] = [];
    const texts: string[] = [];
    for (const r of records) {
      const id = this.nextId++;
      const text = `${JSON.stringify({ id, p: r.partition, k: r.key, v: r.value.toString('base64') })}\n`;
      const length = Buffer.byteLength(text);
      entries.push({ id, key: r.key, partition: r.partition, offset: at, length });
      texts.push(text);
      at += length;
    }
    const bytes = at - offset;
    if (this.pendingBytes + this.reservedBytes + bytes > this.maxBytes) {
      return Promise.reject(new BacklogFullError(this.dir, this.maxBytes, this.pendingBytes + this.reservedBytes + bytes));
    }
    this.reservedBytes += bytes;
    return new Promise<BacklogEntry[]>((resolve, reject) => {
      this.enqueue(texts.join(''), () => {
        this.reservedBytes -= bytes;
        for (const entry of entries) {
          this.pending.set(entry.id, entry);
          this.pendingBytes += entry.length;
        }
        resolve(entries);
      }, (error) => {
        this.reservedBytes -= bytes;
        reject(error);
      });
    });
  }

  /** Marks messages delivered (no longer pending at once); resolves once the mark is fsynced. Unknown ids are ignored. */
  markDone(ids: number[]): Promise<void> {
    const known = ids.filter((id) => this.pending.has(id));
    if (known.length === 0 || this.closed) return Promise.resolve();
    for (const id of known) {
      this.pendingBytes -= this.pending.get(id)!.length;
      this.pending.delete(id);
    }
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<void>((resolve, reject) => this.enqueue(`${JSON.stringify({ done: known })}\n`, resolve, reject));
  }

  /** Waits for queued writes, then releases the file and the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing) await this.writing;
    this.closed = true;
    fs.closeSync(this.fd);
    this.unlock();
  }

  // Every write goes through one queue, in order; a batch is one write and one fsync.

  private enqueue(text: string, done: () => void, fail: (error: Error) => void): void {
    this.queue.push({ text, offset: this.endOffset, done, fail });
    this.endOffset += Buffer.byteLength(text);
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          if (this.broken) throw this.broken;
          await writeAll(this.fd, Buffer.from(batch.map((j) => j.text).join('')), batch[0].offset);
          await new Promise<void>((resolve, reject) => fs.fdatasync(this.fd, (e) => (e ? reject(e) : resolve())));
        } catch (error) {
          this.broken ??= new HarnessError(`backlog ${this.file}: write failed: ${(error as Error).message}`, { cause: error, hint: 'check free space and permissions of the backlog dir; the file is re-read (torn tail cut) when opened again' });
          for (const job of batch) job.fail(this.broken);
          continue;
        }
        for (const job of batch) job.done();
        this.maybeCompact();
      }
    } finally {
      this.writing = null;
    }
  }

  /** Between batches, with nothing queued: empty the file once nothing is pending; rewrite it once delivered lines dominate. */
  private maybeCompact(): void {
    if (this.queue.length > 0 || this.reservedBytes > 0) return;
    if (this.pending.size === 0) {
      if (this.endOffset > 0) {
        fs.ftruncateSync(this.fd, 0);
        fs.fdatasyncSync(this.fd);
        this.endOffset = 0;
      }
      return;
    }
    if (this.endOffset > COMPACT_MIN_BYTES && this.endOffset > COMPACT_RATIO * this.pendingBytes) this.rewrite();
  }

  /** Rewrites the file with the pending messages only (temp file, fsync, rename, fsync dir). */
  private rewrite(): void {
    const temp = `${this.file}.compact`;
    const fd = fs.openSync(temp, 'w');
    let offset = 0;
    const moved: Array<[BacklogEntry, number]> = [];
    try {
      for (const entry of this.pending.values()) {
        const buffer = Buffer.alloc(entry.length);
        fs.readSync(this.fd, buffer, 0, entry.length, entry.offset);
        fs.writeSync(fd, buffer, 0, buffer.length, offset);
        moved.push([entry, offset]);
        offset += entry.length;
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.file);
    syncDir(this.dir);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'r+');
    for (const [entry, newOffset] of moved) entry.offset = newOffset;
    this.endOffset = offset;
  }

  /** Reads the file: pending messages in id order; cuts a torn tail; drops delivered lines. */
  private load(): void {
    const exists = fs.existsSync(this.file);
    this.fd = fs.openSync(this.file, exists ? 'r+' : 'w+');
    if (!exists) syncDir(this.dir);
    const content = fs.readFileSync(this.file);
    let offset = 0;
    let lineNo = 0;
    let delivered = 0;
    let goodEnd = 0;
    let firstBad: number | null = null;
    while (offset < content.length) {
      const newline = content.indexOf(0x0a, offset);
      const end = newline < 0 ? content.length : newline + 1;
      lineNo++;
      // A line without its newline was cut by a crash, whatever it holds.
      const parsed = newline < 0 ? null : parseLine(content.subarray(offset, newline).toString('utf8'));
      if (!parsed) {
        firstBad ??= lineNo;
        this.torn++;
      } else {
        if (firstBad !== null) {
          throw new HarnessError(`backlog ${this.file}: line ${firstBad} is damaged and good lines follow it`, {
            hint: 'this is not a torn write from a crash; inspect the file, fix or remove that line, and open it again',
          });
        }
        if ('done' in parsed) {
          for (const id of parsed.done) {
            const entry = this.pending.get(id);
            if (!entry) continue;
            this.pending.delete(id);
            this.pendingBytes -= entry.length;
            delivered++;
          }
        } else if (!this.pending.has(parsed.id)) {
          this.pending.set(parsed.id, { id: parsed.id, key: parsed.k, partition: parsed.p, offset, length: end - offset });
          this.pendingBytes += end - offset;
          this.nextId = Math.max(this.nextId, parsed.id + 1);
        }
        goodEnd = end;
      }
      offset = end;
    }
    this.endOffset = goodEnd;
    if (goodEnd < content.length) {
      fs.ftruncateSync(this.fd, goodEnd);
      fs.fsyncSync(this.fd);
    }
    // Appends come in id order; keep the Map in id order even for a hand-edited file.
    const sorted = [...this.pending.values()].sort((a, b) => a.id - b.id);
    this.pending.clear();
    for (const entry of sorted) this.pending.set(entry.id, entry);
    if (this.pending.size === 0 && this.endOffset > 0) {
      fs.ftruncateSync(this.fd, 0);
      fs.fsyncSync(this.fd);
      this.endOffset = 0;
    } else if (delivered > 0) {
      this.rewrite();
    }
  }

  private lock(): void {
    if (openHere.has(this.dir)) {
      throw new HarnessError(`backlog ${this.dir} is already open in this process`, { hint: 'give each resilient producer its own backlog dir, or close the first one before opening the dir again' });
    }
    try {
      const fd = fs.openSync(this.lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(this.lockFile, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && ownerRunning(owner)) {
        throw new HarnessError(`backlog ${this.dir} is in use by process ${owner}`, {
          hint: `one producer per backlog dir; if process ${owner} is not a producer (pid reused), remove ${this.lockFile}`,
        });
      }
      fs.writeFileSync(this.lockFile, String(process.pid)); // the owner died (or was this process before a restart of the producer)
    }
    openHere.add(this.dir);
  }

  private unlock(): void {
    openHere.delete(this.dir);
    try {
      if (fs.readFileSync(this.lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(this.lockFile);
    } catch {
      /* already gone */
    }
  }
}

/** Alive and not a zombie (a killed owner whose exit nobody has collected yet holds no file). */
export function ownerRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill(pid, 0)
  }
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function writeAll(fd: number, data: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    written += await new Promise<number>((resolve, reject) =>
      fs.write(fd, data, written, data.length - written, position + written, (e, n) => (e ? reject(e) : resolve(n))),
    );
  }
}
