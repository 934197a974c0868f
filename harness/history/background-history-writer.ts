import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CHUNK_TAG, INVOKE_WORDS, LINE_HEAD_WORDS, OK_WORDS, PROCESS_HEAD_WORDS, wordsFor } from './history-chunk';
import type { HistoryWriter } from './history-writer';
import { sendLineBound, writeSendInvoke } from './send-op-bytes';
import { WRITER_ERROR_BYTES, WRITER_STATE, WRITER_STATE_WORDS, WriterData } from './writer-state';

/** Bytes per chunk handed to the writer thread. @default 1 MiB */
const CHUNK_BYTES = 1 << 20;
const CHUNK_WORDS = CHUNK_BYTES / 8;
/** Chunks the thread may be behind before the recorder waits for it (64 MiB of memory at most). @default 64 */
const MOST_CHUNKS_AHEAD = 64;
/** A wait ends in an error naming the thread after this long without a chunk done. @default 60000 */
const STALL_MS = 60_000;

/** The thread's module beside this one: TypeScript from the sources (loaded through tsx), JavaScript from dist. */
function writerThread(): { file: string; execArgv?: string[] } {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `history-writer-thread${extension}`);
  return extension === '.ts' ? { file, execArgv: ['--require', require.resolve('tsx/cjs')] } : { file };
}

/**
 * A recorder's background mode (HistoryRecorder, `background: true`): its ops go into chunks, a
 * send's invoke and ok as a few numbers, and a worker thread turns the chunks into history.jsonl
 * lines and writes them, in order (history-chunk.ts, history-writer-thread.ts). At a client's full
 * speed encoding two JSON lines per message took about a fifth of the main thread the client's own
 * callbacks run on. `waitAllWritten` blocks until the file holds every op handed over: the recorder
 * calls it before it reads the file back.
 */
export class BackgroundHistoryWriter implements HistoryWriter {
  private readonly worker: Worker;
  private readonly counters: Int32Array;
  private readonly errorText: SharedArrayBuffer;
  private chunk = new ArrayBuffer(CHUNK_BYTES);
  private words = new Float64Array(this.chunk);
  private text = Buffer.from(this.chunk);
  /** Words of the chunk used. */
  private used = 0;
  private chunksSent = 0;
  private readonly spareChunks: ArrayBuffer[] = [];
  private readonly processIds = new Map<string, number>();
  private threadError?: string;

  constructor(private readonly fd: number, private readonly file: string) {
    const state = new SharedArrayBuffer(WRITER_STATE_WORDS * 4);
    this.counters = new Int32Array(state);
    this.errorText = new SharedArrayBuffer(WRITER_ERROR_BYTES);
    const { file: threadFile, execArgv } = writerThread();
    const workerData: WriterData = { fd, state, errorText: this.errorText };
    this.worker = new Worker(threadFile, { workerData, execArgv });
    this.worker.unref(); // never what keeps the process alive
    this.worker.on('message', (chunk: ArrayBuffer) => {
      if (chunk.byteLength === CHUNK_BYTES) this.spareChunks.push(chunk);
    });
    this.worker.on('error', (error) => (this.threadError ??= error.message));
  }

  invoke(process: string, index: number, timeMs: number, seq: number, key: string | null, partition: number | null, attempt: number): void {
    // A keyed send (hashing, manual) is encoded here: a chunk's INVOKE record carries numbers only.
    if (key !== null) return this.encodedLine(sendLineBound(process, key), (buffer, at) => writeSendInvoke(buffer, at, index, timeMs, process, seq, key, partition, attempt));
    const id = this.processId(process);
    this.room(INVOKE_WORDS);
    const w = this.words;
    const at = this.used;
    w[at] = CHUNK_TAG.invoke;
    w[at + 1] = id;
    w[at + 2] = index;
    w[at + 3] = timeMs;
    w[at + 4] = seq;
    w[at + 5] = partition ?? Number.NaN;
    w[at + 6] = attempt;
    this.used = at + INVOKE_WORDS;
  }

  ok(process: string, index: number, timeMs: number, seq: number, attempt: number, partition: number | null, offset: number | null, late: boolean): void {
    const id = this.processId(process);
    this.room(OK_WORDS);
    const w = this.words;
    const at = this.used;
    w[at] = CHUNK_TAG.ok;
    w[at + 1] = id;
    w[at + 2] = index;
    w[at + 3] = timeMs;
    w[at + 4] = seq;
    w[at + 5] = attempt;
    w[at + 6] = partition ?? Number.NaN;
    w[at + 7] = offset ?? Number.NaN;
    w[at + 8] = late ? 1 : 0;
    this.used = at + OK_WORDS;
  }

  /** Any other op: its line (without the newline), encoded here. */
  line(line: string): void {
    // UTF-8: at most 3 bytes per UTF-16 unit, and the newline.
    this.encodedLine(line.length * 3 + 1, (buffer, at) => {
      const end = at + buffer.write(line, at);
      buffer[end] = 0x0a;
      return end + 1;
    });
  }

  /** A LINE record of at most `most` bytes, which `write` puts into the chunk at `at` (returning its end). */
  private encodedLine(most: number, write: (buffer: Buffer, at: number) => number): void {
    const words = LINE_HEAD_WORDS + wordsFor(most);
    const ownChunk = words > CHUNK_WORDS;
    if (ownChunk) {
      this.flush();
      this.useChunk(new ArrayBuffer(words * 8)); // a line longer than a chunk: a chunk of its own, not reused
    } else {
      this.room(words);
    }
    const start = (this.used + LINE_HEAD_WORDS) * 8;
    const length = write(this.text, start) - start;
    this.words[this.used] = CHUNK_TAG.line;
    this.words[this.used + 1] = length;
    this.used += LINE_HEAD_WORDS + wordsFor(length);
    if (ownChunk) this.flush();
  }

  /** Hands the chunk to the thread; waits only when the thread is MOST_CHUNKS_AHEAD behind. */
  flush(): void {
    if (this.used === 0) return;
    this.worker.postMessage({ chunk: this.chunk, words: this.used }, [this.chunk]);
    this.chunksSent++;
    this.useChunk(this.spareChunks.pop() ?? new ArrayBuffer(CHUNK_BYTES));
    if (this.chunksSent - Atomics.load(this.counters, WRITER_STATE.chunksDone) > MOST_CHUNKS_AHEAD) this.waitFor(this.chunksSent - MOST_CHUNKS_AHEAD);
  }

  /** Blocks until the thread has written every chunk handed over (else throws its error). */
  writeAllNow(): number {
    this.flush();
    this.waitFor(this.chunksSent);
    return fs.fstatSync(this.fd).size;
  }

  /** Ends the thread and closes the file (after writeAllNow; if that failed, the file is left open rather than closed under a write). */
  close(): void {
    void this.worker.terminate();
    if (Atomics.load(this.counters, WRITER_STATE.chunksDone) === this.chunksSent) fs.closeSync(this.fd);
  }

  private waitFor(chunks: number): void {
    let done = Atomics.load(this.counters, WRITER_STATE.chunksDone);
    let progressAt = Date.now();
    while (done < chunks) {
      this.throwIfFailed();
      Atomics.wait(this.counters, WRITER_STATE.chunksDone, done, 1_000);
      const now = Atomics.load(this.counters, WRITER_STATE.chunksDone);
      if (now !== done) {
        done = now;
        progressAt = Date.now();
      } else if (Date.now() - progressAt > STALL_MS) {
        const started = Atomics.load(this.counters, WRITER_STATE.started) === 1;
        throw new Error(`${this.file}: the history writer thread ${started ? 'wrote nothing' : 'did not start'} for ${STALL_MS / 1000} s${this.threadError ? `: ${this.threadError}` : ''}`);
      }
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.counters, WRITER_STATE.failed) !== 1) return;
    const length = Atomics.load(this.counters, WRITER_STATE.errorLength);
    throw new Error(`${this.file}: writing the history failed: ${Buffer.from(this.errorText, 0, length).toString('utf8')}`);
  }

  private processId(process: string): number {
    const known = this.processIds.get(process);
    if (known !== undefined) return known;
    const id = this.processIds.size;
    this.processIds.set(process, id);
    const name = Buffer.from(process, 'utf8');
    this.room(PROCESS_HEAD_WORDS + wordsFor(name.length));
    this.words[this.used] = CHUNK_TAG.process;
    this.words[this.used + 1] = id;
    this.words[this.used + 2] = name.length;
    name.copy(this.text, (this.used + PROCESS_HEAD_WORDS) * 8);
    this.used += PROCESS_HEAD_WORDS + wordsFor(name.length);
    return id;
  }

  private room(words: number): void {
    if (this.used + words > this.words.length) this.flush();
  }

  private useChunk(chunk: ArrayBuffer): void {
    this.chunk = chunk;
    this.words = new Float64Array(chunk);
    this.text = Buffer.from(chunk);
    this.used = 0;
  }
}
