import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistoryRecorder } from './history-recorder';
import { SendLineWriter, sendLineBound, viewOf } from './send-op-bytes';

// The byte writers must give exactly the line JSON.stringify gives for the same op (the file
// contract, DESIGN.md): for any numbers, including those JSON writes unusually (-0, NaN, 1e21).
const anyNumber = fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer(), fc.double(), fc.constantFrom(0, -0, 9, 10, 99, 100, 1e21, 2 ** 53, Number.NaN, Infinity, -Infinity));
const nullable = fc.option(anyNumber, { nil: null });
const processName = fc.oneof(fc.constantFrom('p1', 'p2'), fc.string(), fc.string({ unit: 'binary' }));

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-send-bytes-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The line written at an odd offset (the word stores are unaligned there), checking that nothing outside it was touched. */
const buffer = Buffer.alloc(1 << 16);
const writer = new SendLineWriter().into(buffer, viewOf(buffer));
const lineOf = (write: (writer: SendLineWriter, at: number) => number) => {
  buffer.fill(0);
  const start = 3;
  const end = write(writer, start);
  expect(buffer.subarray(0, start).every((byte) => byte === 0)).toBe(true);
  expect(buffer.subarray(end).every((byte) => byte === 0)).toBe(true);
  return buffer.toString('utf8', start, end);
};

test('a send invoke line is JSON.stringify of the op, byte for byte', () => {
  fc.assert(
    fc.property(anyNumber, anyNumber, processName, anyNumber, fc.option(fc.string({ unit: 'binary' }), { nil: null }), nullable, anyNumber, (index, timeMs, process, seq, key, partition, attempt) => {
      const op = { index, timeMs, process, type: 'invoke', f: 'send', value: { seq, key, partition, attempt } };
      const line = lineOf((lines, at) => lines.invoke(at, index, timeMs, process, seq, key, partition, attempt));
      expect(line).toBe(`${JSON.stringify(op)}\n`);
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(sendLineBound(process, key));
    }),
    { numRuns: 2000 },
  );
});

test('a send ok line is JSON.stringify of the op, late or not, byte for byte', () => {
  fc.assert(
    fc.property(anyNumber, anyNumber, processName, anyNumber, anyNumber, nullable, nullable, fc.boolean(), (index, timeMs, process, seq, attempt, partition, offset, late) => {
      const op = { index, timeMs, process, type: 'ok', f: 'send', value: { seq, attempt, partition, offset }, ...(late ? { late: true } : {}) };
      const line = lineOf((lines, at) => lines.ok(at, index, timeMs, process, seq, attempt, partition, offset, late));
      expect(line).toBe(`${JSON.stringify(op)}\n`);
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(sendLineBound(process, null));
    }),
    { numRuns: 2000 },
  );
});

test('the recorder writes the same file through recordSendInvoke / recordSendOk as through record, across buffer flushes', () => {
  const fast = new HistoryRecorder(path.join(dir, 'fast.jsonl'));
  const plain = new HistoryRecorder(path.join(dir, 'plain.jsonl'));
  // 30k pairs: about 4 MB, so the 1 MiB write buffer fills several times mid-line-stream.
  for (let seq = 0; seq < 30_000; seq++) {
    const key = seq % 3 === 0 ? null : `k-${seq}é"`;
    expect(fast.recordSendInvoke('p1', seq, key, seq % 5 === 0 ? null : seq % 3, 1)).toBe(plain.record('p1', 'invoke', 'send', { seq, key, partition: seq % 5 === 0 ? null : seq % 3, attempt: 1 }).index);
    fast.recordSendOk('p1', seq, 1, seq % 3, seq % 7 === 0 ? null : seq, seq % 11 === 0);
    plain.record('p1', 'ok', 'send', { seq, attempt: 1, partition: seq % 3, offset: seq % 7 === 0 ? null : seq }, seq % 11 === 0 ? { late: true } : undefined);
  }
  fast.close();
  plain.close();
  // timeMs may differ by a millisecond between the two recorders: compare with it set aside.
  const withoutTime = (file: string) => fs.readFileSync(file, 'utf8').replace(/"timeMs":\d+/g, '"timeMs":0');
  expect(withoutTime(fast.file)).toBe(withoutTime(plain.file));
  expect(fast.ops).toHaveLength(60_000);
  expect(fast.ops[59_995]).toMatchObject({ index: 59_995, type: 'ok', late: true, value: { seq: 29_997 } }); // 29997 = 11 · 2727
});

test('after close nothing more is written, as with record', () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
  recorder.recordSendInvoke('p1', 0, null, null, 1);
  recorder.close();
  recorder.recordSendOk('p1', 0, 1, 0, 0, false);
  expect(fs.readFileSync(recorder.file, 'utf8').trim().split('\n')).toHaveLength(1);
});

test("values of other types than the contract says (a team's own client) are written as JSON.stringify writes them", () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
  const anyValue = <T>(value: unknown) => value as T;
  recorder.recordSendInvoke('p1', 0, anyValue<string>(7), anyValue<number>('2'), 1);
  recorder.recordSendOk('p1', 0, 1, 2, anyValue<number>('41'), false);
  recorder.recordSendOk('p1', 1, 1, anyValue<number>(undefined), anyValue<number>(undefined), true);
  recorder.close();
  expect(recorder.ops.map((op) => op.value)).toEqual([{ seq: 0, key: 7, partition: '2', attempt: 1 }, { seq: 0, attempt: 1, partition: 2, offset: '41' }, { seq: 1, attempt: 1 }]);
  expect(recorder.ops[2].late).toBe(true);
});
