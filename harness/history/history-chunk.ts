import { writeSendInvoke, writeSendOk } from './send-op-bytes';

/**
 * The records a recorder in background mode hands its writer thread (history-writer-thread.ts):
 * a send's invoke and ok as a few numbers (the main thread writes no JSON for them), any other op
 * as its finished line. A chunk is an ArrayBuffer read as 8-byte words; the writer turns it into
 * history.jsonl lines, the same bytes the recorder writes itself in the foreground. null is NaN
 * (JSON.stringify writes NaN as null too).
 *
 *   INVOKE  tag, process, index, timeMs, seq, partition, attempt            (key null only)
 *   OK      tag, process, index, timeMs, seq, attempt, partition, offset, late
 *   PROCESS tag, process, byteLength, UTF-8 name padded to a word           (before its first use)
 *   LINE    tag, byteLength, UTF-8 line with its newline padded to a word
 */
export const CHUNK_TAG = { invoke: 1, ok: 2, process: 3, line: 4 } as const;
export const INVOKE_WORDS = 7;
export const OK_WORDS = 9;
/** Words before a PROCESS or LINE record's bytes. */
export const PROCESS_HEAD_WORDS = 3;
export const LINE_HEAD_WORDS = 2;

/** Words a record of `bytes` bytes of text takes after its head. */
export const wordsFor = (bytes: number) => Math.ceil(bytes / 8);

const nullable = (n: number) => (Number.isNaN(n) ? null : n);

/** The longest line a send record becomes, for a process name of `processLength` UTF-16 units. */
const sendLineMost = (processLength: number) => 512 + processLength * 18;

/**
 * Turns the first `words` words of a chunk into lines, written through `out` (a buffer the caller
 * empties with `drain` whenever the next line might not fit). `processes` is the writer's table of
 * process names, filled by the chunk's PROCESS records.
 */
export function linesOfChunk(chunk: ArrayBuffer, words: number, processes: Map<number, string>, out: Buffer, drain: (bytes: number) => void): number {
  const w = new Float64Array(chunk);
  const bytes = new Uint8Array(chunk);
  let at = 0;
  let used = 0;
  const room = (most: number) => {
    if (used + most <= out.length) return;
    drain(used);
    used = 0;
  };
  while (at < words) {
    const tag = w[at];
    if (tag === CHUNK_TAG.invoke) {
      const process = processes.get(w[at + 1])!;
      room(sendLineMost(process.length));
      used = writeSendInvoke(out, used, w[at + 2], w[at + 3], process, w[at + 4], null, nullable(w[at + 5]), w[at + 6]);
      at += INVOKE_WORDS;
    } else if (tag === CHUNK_TAG.ok) {
      const process = processes.get(w[at + 1])!;
      room(sendLineMost(process.length));
      used = writeSendOk(out, used, w[at + 2], w[at + 3], process, w[at + 4], w[at + 5], nullable(w[at + 6]), nullable(w[at + 7]), w[at + 8] === 1);
      at += OK_WORDS;
    } else if (tag === CHUNK_TAG.process) {
      const length = w[at + 2];
      const start = (at + PROCESS_HEAD_WORDS) * 8;
      processes.set(w[at + 1], Buffer.from(bytes.buffer, start, length).toString('utf8'));
      at += PROCESS_HEAD_WORDS + wordsFor(length);
    } else if (tag === CHUNK_TAG.line) {
      const length = w[at + 1];
      const start = (at + LINE_HEAD_WORDS) * 8;
      if (length > out.length) {
        // A line longer than the out buffer: what is buffered first, then the line straight from the chunk.
        drain(used);
        used = 0;
        drainBytes(Buffer.from(bytes.buffer, start, length), drain, out);
      } else {
        room(length);
        out.set(bytes.subarray(start, start + length), used);
        used += length;
      }
      at += LINE_HEAD_WORDS + wordsFor(length);
    } else {
      throw new Error(`history chunk: unknown record tag ${tag} at word ${at}`);
    }
  }
  return used;
}

/** Hands `data` to `drain` through `out`, one out-buffer's worth at a time. */
function drainBytes(data: Buffer, drain: (bytes: number) => void, out: Buffer): void {
  for (let from = 0; from < data.length; from += out.length) {
    const part = Math.min(out.length, data.length - from);
    data.copy(out, 0, from, from + part);
    drain(part);
  }
}
