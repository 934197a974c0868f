import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from '../errors';
import type { HistoryOp, ObservedRecord } from './history-types';
import { assertReadableFile, readHistory, readObserved } from './jsonl-files';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kchaos-jsonl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The error a full read throws, and how many items came before it. */
async function readError<T>(items: AsyncIterable<T>): Promise<{ error: Error; before: number }> {
  let before = 0;
  try {
    for await (const _ of items) before++;
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return { error: error as Error, before };
  }
  throw new Error('expected the read to fail');
}

const invoke = (i: number, seq: number) =>
  JSON.stringify({ index: i, timeMs: i, process: 'p1', type: 'invoke', f: 'send', value: { seq, key: `k-${seq}`, partition: null } });
const ok = (i: number, seq: number) =>
  JSON.stringify({ index: i, timeMs: i, process: 'p1', type: 'ok', f: 'send', value: { seq, partition: 1, offset: seq } });
const inject = (i: number) =>
  JSON.stringify({ index: i, timeMs: 2001, process: 'nemesis', type: 'info', f: 'inject', value: { fault: 'blackhole', target: 'k1' } });

describe('readHistory', () => {
  test('reads valid ops, CRLF and a blank trailing line included', async () => {
    const path = file('ok-history.jsonl', `${invoke(0, 0)}\r\n${ok(1, 0)}\n${inject(2)}\n\n`);
    const ops: HistoryOp[] = await collect(readHistory(path));
    expect(ops.map((o) => `${o.type}/${o.f}`)).toEqual(['invoke/send', 'ok/send', 'info/inject']);
    expect(ops[1].value).toEqual({ seq: 0, partition: 1, offset: 0 });
  });

  test('an ok with an unknown offset (null) loads as null', async () => {
    const line = JSON.stringify({ index: 1, timeMs: 4, process: 'p1', type: 'ok', f: 'send', value: { seq: 0, partition: 2, offset: null } });
    const [, op] = await collect(readHistory(file('null-offset.jsonl', `${invoke(0, 0)}\n${line}\n`)));
    expect(op.value).toEqual({ seq: 0, partition: 2, offset: null });
  });

  test('an archived -1 offset or partition (the old "unknown") loads as null', async () => {
    const line = (i: number, partition: number, offset: number) =>
      JSON.stringify({ index: i, timeMs: i, process: 'p1', type: 'ok', f: 'send', value: { seq: i, partition, offset } });
    const ops = await collect(readHistory(file('legacy-unknown.jsonl', `${line(0, 1, -1)}\n${line(1, -1, -1)}\n${line(2, 1, 0)}\n`)));
    expect(ops.map((o) => o.value)).toEqual([
      { seq: 0, partition: 1, offset: null },
      { seq: 1, partition: null, offset: null },
      { seq: 2, partition: 1, offset: 0 },
    ]);
  });

  test('a string offset is rejected naming value.offset', async () => {
    const line = JSON.stringify({ index: 0, timeMs: 0, process: 'p1', type: 'ok', f: 'send', value: { seq: 0, partition: 1, offset: '12' } });
    const path = file('string-offset.jsonl', `${line}\n`);
    expect((await readError(readHistory(path))).error.message).toBe(`${path}:1: "value.offset" must be a non-negative integer or null, got "12"`);
  });

  test('completions may carry their attempt and a top-level late: true', async () => {
    const lines = [
      { index: 0, timeMs: 0, process: 'p1', type: 'invoke', f: 'send', value: { seq: 0, key: null, partition: null, attempt: 2 } },
      { index: 1, timeMs: 5, process: 'p1', type: 'info', f: 'send', value: { seq: 0, attempt: 2, error: 'no answer before the deadline' } },
      { index: 2, timeMs: 9, process: 'p1', type: 'ok', f: 'send', value: { seq: 0, partition: 0, offset: 7, attempt: 2 }, late: true },
    ];
    const ops = await collect(readHistory(file('late.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'))));
    expect(ops).toEqual(lines);
    expect(ops.map((o) => 'late' in o)).toEqual([false, false, true]);
  });

  test('an empty file has no ops; a last line without newline that parses is fine', async () => {
    expect(await collect(readHistory(file('empty.jsonl', '')))).toEqual([]);
    expect(await collect(readHistory(file('no-newline.jsonl', `${invoke(0, 0)}\n${ok(1, 0)}`)))).toHaveLength(2);
  });

  test('reads across chunk boundaries (many lines)', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => (i % 2 === 0 ? invoke(i, i / 2) : ok(i, (i - 1) / 2)));
    const ops = await collect(readHistory(file('big.jsonl', `${lines.join('\n')}\n`)));
    expect(ops).toHaveLength(30_000);
    expect(ops[29_999].index).toBe(29_999);
  });

  test('a bad field is reported with file:line and the field', async () => {
    const okk = JSON.stringify({ index: 2, timeMs: 3, process: 'p1', type: 'okk', f: 'send', value: { seq: 0 } });
    const path = file('history.jsonl', `${invoke(0, 0)}\n${invoke(1, 1)}\n${okk}\n`);
    const { error, before } = await readError(readHistory(path));
    expect(error.message).toBe(`${path}:3: "type" must be one of invoke|ok|fail|info, got "okk"`);
    expect(before).toBe(2);
  });

  test.each([
    [{ index: 0, timeMs: 0, process: 'p1', type: 'ok', f: 'send', value: { seq: 1, partition: 0 } }, '"value.offset" must be a non-negative integer or null, got nothing'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'ok', f: 'send', value: { seq: 1, partition: 0, offset: -2 } }, '"value.offset" must be a non-negative integer or null, got -2'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'ok', f: 'send', value: { seq: 1, partition: 0.5, offset: 3 } }, '"value.partition" must be a non-negative integer or null, got 0.5'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'invoke', f: 'send', value: { seq: 1, attempt: 0 } }, '"value.attempt" must be a positive integer, got 0'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'ok', f: 'send', value: { seq: 1, partition: 0, offset: 3, attempt: '2' } }, '"value.attempt" must be a positive integer, got "2"'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'ok', f: 'send', value: { seq: 1, partition: 0, offset: 3 }, late: 'yes' }, '"late" must be true or absent, got "yes"'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'fail', f: 'send', value: { seq: 1, error: 'x' }, late: false }, '"late" must be true or absent, got false'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'invoke', f: 'send', value: { seq: 1 }, late: true }, '"late" must be absent on an invoke (only a completion can be late), got true'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'invoke', f: 'send', value: { seq: '1' } }, '"value.seq" must be an integer, got "1"'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'invoke', f: 'sned', value: { seq: 1 } }, '"f" must be one of send|inject|heal|start|crash|assign|revoke|poll|process|commit|committed|leave|freeze|thaw, got "sned"'],
    [{ index: -1, timeMs: 0, process: 'p1', type: 'invoke', f: 'send', value: { seq: 1 } }, '"index" must be a non-negative integer, got -1'],
    [{ index: 0, timeMs: 'x', process: 'p1', type: 'invoke', f: 'send', value: { seq: 1 } }, '"timeMs" must be a finite number, got "x"'],
    [{ index: 0, timeMs: 0, type: 'invoke', f: 'send', value: { seq: 1 } }, '"process" must be a string, got nothing'],
    [{ index: 0, timeMs: 0, process: 'p1', type: 'invoke', f: 'send', value: null }, '"value" must be an object, got null'],
    [[1, 2], 'the line must be a JSON object, got [1,2]'],
  ])('%j → %s', async (line, message) => {
    const path = file('bad-field.jsonl', `${JSON.stringify(line)}\n`);
    expect((await readError(readHistory(path))).error.message).toBe(`${path}:1: ${message}`);
  });

  test('invalid JSON in the middle names its line', async () => {
    const path = file('bad-json.jsonl', `${invoke(0, 0)}\n{"index": 1,\n${invoke(2, 1)}\n`);
    expect((await readError(readHistory(path))).error.message).toMatch(new RegExp(`^${path}:2: not valid JSON \\(`));
  });

  test('a truncated last line (crash mid-write) is an error naming its line; the prefix is yielded', async () => {
    const path = file('crashed.jsonl', `${invoke(0, 0)}\n${ok(1, 0)}\n${invoke(2, 1).slice(0, 25)}`);
    const { error, before } = await readError(readHistory(path));
    expect(error.message).toMatch(new RegExp(`^${path}:3: truncated last line .* lines 1-2 are readable\\n  fix: `));
    expect(before).toBe(2);
  });

  test('a blank line before the end is an error naming it', async () => {
    const path = file('gap.jsonl', `${invoke(0, 0)}\n\n${ok(1, 0)}\n`);
    expect((await readError(readHistory(path))).error.message).toMatch(new RegExp(`^${path}:2: blank line before the end`));
  });

  test('a missing file gives a clear error with a hint', async () => {
    const path = join(dir, 'nope', 'history.jsonl');
    const { error } = await readError(readHistory(path));
    expect(error.message).toBe(
      `history file not found: ${path}\n  fix: pass a scenario's history.jsonl, e.g. runs/latest/scenarios/<slug>/history.jsonl`,
    );
    await expect(assertReadableFile(path, 'history')).rejects.toThrow(/^history file not found/);
  });

  test('a directory is not a history file', async () => {
    const sub = join(dir, 'a-dir');
    mkdirSync(sub, { recursive: true });
    await expect(assertReadableFile(sub, 'observed')).rejects.toThrow(/^observed file .* is not a regular file/);
    await expect(collect(readObserved(sub))).rejects.toThrow(/^cannot read observed file/);
  });
});

describe('readObserved', () => {
  test('reads records; a null seq and a missing key are allowed', async () => {
    const path = file('observed.jsonl', [
      '{"partition":1,"offset":0,"seq":0,"key":"k-0"}',
      '{"partition":1,"offset":1,"seq":null,"key":null}',
      '{"partition":2,"offset":0,"seq":3}',
      '',
    ].join('\n'));
    const records: ObservedRecord[] = await collect(readObserved(path));
    expect(records).toEqual([
      { partition: 1, offset: 0, seq: 0, key: 'k-0' },
      { partition: 1, offset: 1, seq: null, key: null },
      { partition: 2, offset: 0, seq: 3, key: null },
    ]);
  });

  test.each([
    ['{"partition":1,"offset":0,"seq":1.5,"key":null}', '"seq" must be an integer or null, got 1.5'],
    ['{"partition":1,"offset":0,"key":null}', '"seq" must be an integer or null, got nothing'],
    ['{"partition":"1","offset":0,"seq":1,"key":null}', '"partition" must be a non-negative integer, got "1"'],
    ['{"partition":1,"offset":-4,"seq":1,"key":null}', '"offset" must be a non-negative integer, got -4'],
    ['{"partition":1,"offset":0,"seq":1,"key":7}', '"key" must be a string or null, got 7'],
  ])('%s → %s', async (line, message) => {
    const path = file('observed-bad.jsonl', `{"partition":0,"offset":0,"seq":0,"key":null}\n${line}\n`);
    expect((await readError(readObserved(path))).error.message).toBe(`${path}:2: ${message}`);
  });
});
