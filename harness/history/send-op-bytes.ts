/**
 * The two ops of every send at full speed, a send's invoke and its ok, written as UTF-8 straight
 * into the recorder's buffer: the same bytes as opLine (JSON.stringify of the op), but with no op
 * object, no value object and no string per op. At full speed these are two lines per message,
 * and building them as strings cost more than the client's own work per message (bench/hot-path.ts).
 * Anything else a history holds goes through opLine.
 */

const ascii = (text: string) => Buffer.from(text, 'latin1');

/** The constant parts, per process name and op type (a few: "p1", "p2", …). */
interface SendTemplates {
  /** `,"process":"p1","type":"invoke","f":"send","value":{"seq":` */
  invokeHead: Buffer;
  /** `,"process":"p1","type":"ok","f":"send","value":{"seq":` */
  okHead: Buffer;
}

const INDEX = ascii('{"index":');
const TIME = ascii(',"timeMs":');
const KEY = ascii(',"key":');
const PARTITION = ascii(',"partition":');
const ATTEMPT = ascii(',"attempt":');
const OFFSET = ascii(',"offset":');
const NULL = ascii('null');
const VALUE_END = ascii('}}\n');
const LATE_END = ascii('},"late":true}\n');

const templates = new Map<string, SendTemplates>();
function templatesFor(process: string): SendTemplates {
  let found = templates.get(process);
  if (!found) {
    const head = (type: string) => Buffer.from(`,"process":${JSON.stringify(process)},"type":"${type}","f":"send","value":{"seq":`, 'utf8');
    found = { invokeHead: head('invoke'), okHead: head('ok') };
    templates.set(process, found);
  }
  return found;
}

/** The most bytes a send line takes besides its key: the templates plus seven numbers of ≤ 24 characters. */
const FIXED_BOUND = 512;

/**
 * The most bytes the line of a send takes, for the caller's buffer check. A key's JSON is at most 6
 * characters per UTF-16 unit, each at most 3 bytes of UTF-8.
 */
export function sendLineBound(process: string, key: string | null): number {
  return FIXED_BOUND + process.length * 18 + (key === null ? 0 : key.length * 18);
}

/** Writes `n` as JSON.stringify does; the common case (a non-negative safe integer) digit by digit. */
function writeNumber(buffer: Buffer, at: number, n: number): number {
  if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) return at + buffer.write(JSON.stringify(n), at, 'latin1');
  if (n < 10) {
    buffer[at] = 0x30 + n;
    return at + 1;
  }
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = n;
  for (let i = at + digits - 1; i >= at; i--) {
    buffer[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

function writeNullable(buffer: Buffer, at: number, n: number | null): number {
  return n === null ? put(buffer, at, NULL) : writeNumber(buffer, at, n);
}

/** Copies a template byte by byte: for a few dozen bytes, faster than Buffer#set or #copy. */
function put(buffer: Buffer, at: number, part: Buffer): number {
  for (let i = 0; i < part.length; i++) buffer[at + i] = part[i];
  return at + part.length;
}

/** `{"index":…,"timeMs":…,"process":…,"type":"invoke","f":"send","value":{"seq":…,"key":…,"partition":…,"attempt":…}}\n` at `at`; returns the end. */
export function writeSendInvoke(buffer: Buffer, at: number, index: number, timeMs: number, process: string, seq: number, key: string | null, partition: number | null, attempt: number): number {
  at = writeNumber(buffer, put(buffer, at, INDEX), index);
  at = writeNumber(buffer, put(buffer, at, TIME), timeMs);
  at = writeNumber(buffer, put(buffer, at, templatesFor(process).invokeHead), seq);
  at = put(buffer, at, KEY);
  at = key === null ? put(buffer, at, NULL) : at + buffer.write(JSON.stringify(key), at, 'utf8');
  at = writeNullable(buffer, put(buffer, at, PARTITION), partition);
  at = writeNumber(buffer, put(buffer, at, ATTEMPT), attempt);
  return put(buffer, at, VALUE_END);
}

/** `{"index":…,"timeMs":…,"process":…,"type":"ok","f":"send","value":{"seq":…,"attempt":…,"partition":…,"offset":…}[,"late":true]}\n` at `at`; returns the end. */
export function writeSendOk(buffer: Buffer, at: number, index: number, timeMs: number, process: string, seq: number, attempt: number, partition: number | null, offset: number | null, late: boolean): number {
  at = writeNumber(buffer, put(buffer, at, INDEX), index);
  at = writeNumber(buffer, put(buffer, at, TIME), timeMs);
  at = writeNumber(buffer, put(buffer, at, templatesFor(process).okHead), seq);
  at = writeNumber(buffer, put(buffer, at, ATTEMPT), attempt);
  at = writeNullable(buffer, put(buffer, at, PARTITION), partition);
  at = writeNullable(buffer, put(buffer, at, OFFSET), offset);
  return put(buffer, at, late ? LATE_END : VALUE_END);
}
