/** What a recorder and its writer thread share (background-history-writer.ts, history-writer-thread.ts). */
export interface WriterData {
  /** The history file, opened by the recorder; the thread writes it from byte 0 on, in order. */
  fd: number;
  /** Int32 counters, indexed by WRITER_STATE. */
  state: SharedArrayBuffer;
  /** The thread's error message, UTF-8, when `failed` is set. */
  errorText: SharedArrayBuffer;
}

export const WRITER_STATE = {
  /** Chunks handled so far (written, or failed): the recorder waits for it to reach what it sent. */
  chunksDone: 0,
  /** 1 once a chunk could not be written: the recorder's next wait throws the thread's message. */
  failed: 1,
  errorLength: 2,
  /** 1 once the thread runs. */
  started: 3,
} as const;

export const WRITER_STATE_WORDS = 4;
export const WRITER_ERROR_BYTES = 2048;
