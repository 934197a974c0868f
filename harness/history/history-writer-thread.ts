import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { linesOfChunk } from './history-chunk';
import { WRITER_STATE, WriterData } from './writer-state';

/**
 * The writer thread of a recorder in background mode (background-history-writer.ts): chunks come
 * in order, each is turned into history.jsonl lines (history-chunk.ts) and appended to the file the
 * recorder opened, and the shared count of chunks written goes up (the recorder waits on it before
 * it reads the file back). The chunk's memory goes back to the recorder for reuse.
 */
const { fd, state, errorText } = workerData as WriterData;
const counters = new Int32Array(state);
const out = Buffer.allocUnsafe(1 << 20);
const processes = new Map<number, string>();
let position = 0;

const write = (bytes: number) => {
  for (let done = 0; done < bytes; ) {
    const n = fs.writeSync(fd, out, done, bytes - done, position);
    done += n;
    position += n;
  }
};

parentPort!.on('message', (message: { chunk: ArrayBuffer; words: number }) => {
  try {
    write(linesOfChunk(message.chunk, message.words, processes, out, write));
    parentPort!.postMessage(message.chunk, [message.chunk]);
  } catch (error) {
    const text = Buffer.from(String((error as Error)?.message ?? error));
    const bytes = new Uint8Array(errorText);
    bytes.set(text.subarray(0, bytes.length));
    Atomics.store(counters, WRITER_STATE.errorLength, Math.min(text.length, bytes.length));
    Atomics.store(counters, WRITER_STATE.failed, 1);
  }
  Atomics.add(counters, WRITER_STATE.chunksDone, 1);
  Atomics.notify(counters, WRITER_STATE.chunksDone);
});

Atomics.store(counters, WRITER_STATE.started, 1);
Atomics.notify(counters, WRITER_STATE.chunksDone);
