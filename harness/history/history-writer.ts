/**
 * Where a HistoryRecorder's lines go, in the order recorded: written by the main thread
 * (foreground-history-writer.ts) or encoded and written by a worker thread
 * (background-history-writer.ts). Both write byte for byte what JSON.stringify(op) gives.
 */
export interface HistoryWriter {
  /** A send's invoke: { seq, key, partition, attempt }. */
  invoke(process: string, index: number, timeMs: number, seq: number, key: string | null, partition: number | null, attempt: number): void;
  /** A send's ok: { seq, attempt, partition, offset }, with "late": true when late. */
  ok(process: string, index: number, timeMs: number, seq: number, attempt: number, partition: number | null, offset: number | null, late: boolean): void;
  /** Any other op's line, without its newline. */
  line(line: string): void;
  /** Hands what is buffered on to be written, without waiting. */
  flush(): void;
  /** Returns once the file holds everything handed over, and its size then; throws a write's error. */
  writeAllNow(): number;
  /** After writeAllNow: no more lines; the file is closed once nothing is in flight. */
  close(): void;
}
