import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { HarnessError } from '../errors';
import { CONSUMER_OP_FUNCTIONS, type HistoryOp, type ObservedRecord, type OpFunction, type OpType } from './history-types';

/**
 * Streaming, validating readers for history.jsonl and observed.jsonl (DESIGN.md, Contracts).
 * A bad line stops the read with a HarnessError naming `file:line` and the field, e.g.
 * `history.jsonl:17: "type" must be one of invoke|ok|fail|info, got "okk"`. Lines already read
 * have been yielded by then, so a caller can tell how far a crashed run's file is usable.
 *
 * An ok's unknown partition or offset is null; the -1 of older histories is read as null, so the
 * ops a caller gets hold one convention whatever wrote the file.
 */

/** Bytes read per chunk; large chunks keep a 2M-line file to a few hundred reads. @default 1 MiB */
export const READ_CHUNK_BYTES = 1 << 20;

const OP_TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];
const OP_FUNCTIONS: readonly OpFunction[] = ['send', 'inject', 'heal', ...CONSUMER_OP_FUNCTIONS];
/** How archived histories wrote an unknown partition or offset of an ok; read as null. */
const LEGACY_UNKNOWN = -1;

/** The ops of a history.jsonl, validated line by line. */
export function readHistory(path: string): AsyncIterable<HistoryOp> {
  return readValidated(path, 'history', parseHistoryOp);
}

/** The records of an observed.jsonl, validated line by line. */
export function readObserved(path: string): AsyncIterable<ObservedRecord> {
  return readValidated(path, 'observed', parseObservedRecord);
}

/** Throws HarnessError with a hint when `path` is not a readable file (cheap pre-flight check). */
export async function assertReadableFile(path: string, kind: 'history' | 'observed'): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    throw openError(path, kind, error);
  }
  if (!isFile) throw new HarnessError(`${kind} file ${path} is not a regular file`, { hint: fileHint(kind) });
}

/** Validates one parsed history line; throws a plain Error naming the field (the caller adds file:line). */
export function parseHistoryOp(json: unknown): HistoryOp {
  const o = lineObject(json);
  const type = oneOf(o.type, 'type', OP_TYPES);
  const f = oneOf(o.f, 'f', OP_FUNCTIONS);
  let value = object(o.value, 'value');
  if (f === 'send') {
    integer(value.seq, 'value.seq');
    if (value.attempt !== undefined) positiveInteger(value.attempt, 'value.attempt');
    if (value.tried !== undefined) {
      if (!Array.isArray(value.tried)) fail('value.tried', 'a list of partitions', value.tried);
      (value.tried as unknown[]).forEach((p, i) => nonNegativeInteger(p, `value.tried[${i}]`));
    }
    if (type === 'ok') {
      const partition = positionOrNull(value.partition, 'value.partition');
      const offset = positionOrNull(value.offset, 'value.offset');
      if (partition !== value.partition || offset !== value.offset) value = { ...value, partition, offset };
    }
  }
  const op: HistoryOp = {
    index: nonNegativeInteger(o.index, 'index'),
    timeMs: finite(o.timeMs, 'timeMs'),
    process: string(o.process, 'process'),
    type,
    f,
    value,
  };
  if (o.late !== undefined) {
    if (o.late !== true) fail('late', 'true or absent', o.late);
    if (type === 'invoke') fail('late', 'absent on an invoke (only a completion can be late)', o.late);
    op.late = true;
  }
  return op;
}

/** Validates one parsed observed line; a missing key reads as null. */
export function parseObservedRecord(json: unknown): ObservedRecord {
  const o = lineObject(json);
  const seq = o.seq === null ? null : integer(o.seq, 'seq', 'an integer or null');
  const key = o.key === undefined || o.key === null ? null : string(o.key, 'key', 'a string or null');
  return {
    partition: nonNegativeInteger(o.partition, 'partition'),
    offset: nonNegativeInteger(o.offset, 'offset'),
    seq,
    key,
  };
}

async function* readValidated<T>(
  path: string,
  kind: 'history' | 'observed',
  parse: (json: unknown) => T,
): AsyncGenerator<T> {
  for await (const { text, lineNumber, last } of lines(path, kind)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      if (last) {
        throw new HarnessError(
          `${path}:${lineNumber}: truncated last line (no newline at the end and not valid JSON); ` +
            (lineNumber > 1 ? `lines 1-${lineNumber - 1} are readable` : 'no complete line before it'),
          { hint: 'the run probably crashed while writing; re-run the scenario, or delete the last line to check the prefix' },
        );
      }
      throw new HarnessError(`${path}:${lineNumber}: not valid JSON (${(error as Error).message})`);
    }
    try {
      yield parse(json);
    } catch (error) {
      if (error instanceof FieldError) throw new HarnessError(`${path}:${lineNumber}: ${error.message}`);
      throw error;
    }
  }
}

interface Line {
  text: string;
  /** 1-based. */
  lineNumber: number;
  /** True for a final line without a newline after it (what a crash mid-write leaves). */
  last: boolean;
}

/** Non-blank lines of a file; blank lines are only allowed at the end. */
async function* lines(path: string, kind: 'history' | 'observed'): AsyncGenerator<Line> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: READ_CHUNK_BYTES });
  let rest = '';
  let lineNumber = 0;
  let firstBlankLine = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        lineNumber++;
        const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
        start = end + 1;
        if (isBlank(line)) {
          if (firstBlankLine === 0) firstBlankLine = lineNumber;
          continue;
        }
        if (firstBlankLine !== 0) throw blankLineError(path, firstBlankLine);
        yield { text: line, lineNumber, last: false };
      }
      rest = text.slice(start);
    }
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw openError(path, kind, error);
  } finally {
    stream.destroy();
  }
  if (isBlank(rest)) return;
  lineNumber++;
  if (firstBlankLine !== 0) throw blankLineError(path, firstBlankLine);
  yield { text: rest, lineNumber, last: true };
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function blankLineError(path: string, lineNumber: number): HarnessError {
  return new HarnessError(`${path}:${lineNumber}: blank line before the end of the file (one JSON object per line expected)`);
}

function openError(path: string, kind: 'history' | 'observed', error: unknown): HarnessError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new HarnessError(`${kind} file not found: ${path}`, { cause: error, hint: fileHint(kind) });
  }
  return new HarnessError(`cannot read ${kind} file ${path}: ${(error as Error).message}`, {
    cause: error,
    hint: fileHint(kind),
  });
}

function fileHint(kind: 'history' | 'observed'): string {
  return `pass a scenario's ${kind}.jsonl, e.g. runs/latest/scenarios/<slug>/${kind}.jsonl`;
}

/** A validation failure inside one line; readValidated prefixes it with file:line. */
class FieldError extends Error {}

function fail(field: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  throw new FieldError(`"${field}" must be ${expected}, got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineObject(value: unknown): Record<string, unknown> {
  if (!isObject(value)) throw new FieldError(`the line must be a JSON object, got ${JSON.stringify(value).slice(0, 60)}`);
  return value;
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) fail(field, 'an object', value);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(field, `one of ${allowed.join('|')}`, value);
  }
  return value as T;
}

function integer(value: unknown, field: string, expected = 'an integer'): number {
  if (!Number.isSafeInteger(value)) fail(field, expected, value);
  return value as number;
}

function nonNegativeInteger(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(field, 'a non-negative integer', value);
  return value as number;
}

function positiveInteger(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) fail(field, 'a positive integer', value);
  return value as number;
}

/**
 * A partition or offset of an ok: a non-negative integer, or null when unknown. -1 (what producers
 * wrote for "unknown" before null was the convention) reads as null.
 */
function positionOrNull(value: unknown, field: string): number | null {
  if (value === null || value === LEGACY_UNKNOWN) return null;
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(field, 'a non-negative integer or null', value);
  return value as number;
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, 'a finite number', value);
  return value;
}

function string(value: unknown, field: string, expected = 'a string'): string {
  if (typeof value !== 'string') fail(field, expected, value);
  return value;
}
