/**
 * The two ops of every send at full speed, a send's invoke and its ok, written as UTF-8 straight
 * into the recorder's buffer: the same bytes as opLine (JSON.stringify of the op), but with no op
 * object, no value object and no string per op. At full speed these are two lines per message,
 * and building them as strings cost more than the client's own work per message (bench/hot-path.ts).
 * Anything else a history holds goes through opLine.
 */

/**
 * A constant part of a line, as little-endian 4-byte words and the 0-3 bytes left over: copied
 * with a DataView store per word. A store per byte took most of the encoding's time (5x slower
 * for a 58-byte part), and Buffer#set costs a call into C++ per part.
 */
class Part {
  readonly words: Uint32Array;
  readonly rest: Uint8Array;
  constructor(text: string) {
    const bytes = Buffer.from(text, 'utf8');
    this.words = new Uint32Array(bytes.length >> 2);
    for (let i = 0; i < this.words.length; i++) this.words[i] = bytes.readUInt32LE(i * 4);
    this.rest = bytes.subarray(this.words.length * 4);
  }
}

const INDEX = new Part('{"index":');
const TIME = new Part(',"timeMs":');
const KEY = new Part(',"key":');
const PARTITION = new Part(',"partition":');
const NULL_KEY_PARTITION = new Part(',"key":null,"partition":');
const ATTEMPT = new Part(',"attempt":');
const OFFSET = new Part(',"offset":');
const NULL = new Part('null');
const VALUE_END = new Part('}}\n');
const LATE_END = new Part('},"late":true}\n');

/**
 * One process's line heads: `,"process":"p1","type":"invoke","f":"send","value":{"seq":`. (Heads
 * with the time written in as well, rebuilt each millisecond, cost more to build than they saved:
 * a Part is several typed arrays.)
 */
interface Heads {
  invoke: Part;
  ok: Part;
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

/** "00" … "99" as little-endian 16-bit words: two digits per store. */
const DIGIT_PAIRS = Uint16Array.from({ length: 100 }, (_, n) => (0x30 + Math.floor(n / 10)) | ((0x30 + (n % 10)) << 8));
/** 10^0 … 10^15: a safe integer has at most 16 digits. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** A DataView over exactly `buffer`'s bytes: what SendLineWriter#into takes with it. */
export const viewOf = (buffer: Buffer): DataView => new DataView(buffer.buffer, buffer.byteOffset, buffer.length);

/** Process names whose heads are kept; past this the cache starts over (a run has a handful). @default 64 */
const MAX_HEADS = 64;

/**
 * Writes send lines into the buffer it was last pointed at (`into`, before each line: the caller
 * owns the buffer and its view, so recorders running side by side share the writer).
 */
export class SendLineWriter {
  private buffer: Buffer = Buffer.alloc(0);
  private view: DataView = viewOf(this.buffer);
  private readonly heads = new Map<string, Heads>();

  /** Points the writer at `buffer`, `view` being viewOf(buffer); returns the writer. */
  into(buffer: Buffer, view: DataView): this {
    this.buffer = buffer;
    this.view = view;
    return this;
  }

  /** `{"index":…,"timeMs":…,"process":…,"type":"invoke","f":"send","value":{"seq":…,"key":…,"partition":…,"attempt":…}}\n` at `at`; returns the end. */
  invoke(at: number, index: number, timeMs: number, process: string, seq: number, key: string | null, partition: number | null, attempt: number): number {
    at = this.number(this.put(at, INDEX), index);
    at = this.number(this.put(at, TIME), timeMs);
    at = this.number(this.put(at, this.headsOf(process).invoke), seq);
    if (key === null) at = this.put(at, NULL_KEY_PARTITION);
    else {
      at = this.put(at, KEY);
      at += this.buffer.write(JSON.stringify(key), at, 'utf8');
      at = this.put(at, PARTITION);
    }
    at = this.nullable(at, partition);
    at = this.number(this.put(at, ATTEMPT), attempt);
    return this.put(at, VALUE_END);
  }

  /** `{"index":…,"timeMs":…,"process":…,"type":"ok","f":"send","value":{"seq":…,"attempt":…,"partition":…,"offset":…}[,"late":true]}\n` at `at`; returns the end. */
  ok(at: number, index: number, timeMs: number, process: string, seq: number, attempt: number, partition: number | null, offset: number | null, late: boolean): number {
    at = this.number(this.put(at, INDEX), index);
    at = this.number(this.put(at, TIME), timeMs);
    at = this.number(this.put(at, this.headsOf(process).ok), seq);
    at = this.number(this.put(at, ATTEMPT), attempt);
    at = this.nullable(this.put(at, PARTITION), partition);
    at = this.nullable(this.put(at, OFFSET), offset);
    return this.put(at, late ? LATE_END : VALUE_END);
  }

  private headsOf(process: string): Heads {
    return this.heads.get(process) ?? this.newHeads(process);
  }

  /** Apart from headsOf: a closure over `process` there would make V8 allocate a context on every call. */
  private newHeads(process: string): Heads {
    const head = (type: string) => new Part(`,"process":${JSON.stringify(process)},"type":"${type}","f":"send","value":{"seq":`);
    const heads = { invoke: head('invoke'), ok: head('ok') };
    if (this.heads.size >= MAX_HEADS) this.heads.clear();
    this.heads.set(process, heads);
    return heads;
  }

  private put(at: number, part: Part): number {
    const { words, rest } = part;
    const view = this.view;
    for (let i = 0; i < words.length; i++, at += 4) view.setUint32(at, words[i], true);
    for (let i = 0; i < rest.length; i++) view.setUint8(at++, rest[i]);
    return at;
  }

  /** Writes `n` as JSON.stringify does; the common case (a non-negative safe integer) two digits at a time. */
  private number(at: number, n: number): number {
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) return at + this.buffer.write(JSON.stringify(n), at, 'latin1');
    let digits = 1;
    while (digits < 16 && n >= POWERS_OF_TEN[digits]) digits++;
    const end = at + digits;
    const view = this.view;
    let i = end;
    let rest = n;
    while (rest >= 100) {
      const high = Math.floor(rest / 100);
      i -= 2;
      view.setUint16(i, DIGIT_PAIRS[rest - high * 100], true);
      rest = high;
    }
    if (rest >= 10) view.setUint16(i - 2, DIGIT_PAIRS[rest], true);
    else view.setUint8(i - 1, 0x30 + rest); // -0 too: JSON.stringify(-0) is "0"
    return end;
  }

  private nullable(at: number, n: number | null): number {
    return n === null ? this.put(at, NULL) : this.number(at, n);
  }
}

/**
 * The process's one writer. It must outlive the recorders: V8 threw away the writer's optimized
 * code whenever the writer it ran on was collected ("weak objects" in --trace-deopt), so with a
 * writer per recorder every scenario at full speed ran its encoding unoptimized until it was
 * compiled again, 3-4 µs of CPU per message where the optimized code takes about 0.3 (measured
 * with node-rdkafka at full speed: 9.9-12.2 µs of the process's CPU per message with a writer per
 * recorder, 6.7-8.7 with this one; the bare client 6.2-8.5).
 */
export const SEND_LINES = new SendLineWriter();
