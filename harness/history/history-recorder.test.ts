import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistoryRecorder, opLine } from './history-recorder';
import type { HistoryOp } from './history-types';

// The recorder keeps no op in memory: `ops` is the file read back. These pin that what the checker
// gets is exactly what history.jsonl says, in order, whenever and however often it is read.
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-recorder-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const fileOps = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

test('ops are the file read back, read again only for what was written since', () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
  const invoke = recorder.record('p1', 'invoke', 'send', { seq: 0, key: null, partition: 1, attempt: 1 });
  expect(invoke.index).toBe(0);
  expect(recorder.ops).toHaveLength(1);
  recorder.record('p1', 'ok', 'send', { seq: 0, attempt: 1, partition: 1, offset: 7 });
  recorder.record('p1', 'info', 'send', { seq: 1, attempt: 1, partition: null, error: 'é\nquoted "x"' }, { late: true });
  const ops = recorder.ops;
  expect(ops.map((op) => op.index)).toEqual([0, 1, 2]);
  expect(ops[2]).toMatchObject({ type: 'info', late: true, value: { error: 'é\nquoted "x"', partition: null } });
  expect(ops).toEqual(fileOps(recorder.file));
  recorder.close();
  expect(recorder.ops).toEqual(ops);
});

test('ops still answer after close once the file is gone, and nothing recorded after close is kept', () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
  recorder.record('nemesis', 'info', 'inject', { fault: 'blackhole', target: 'k1' });
  recorder.close();
  recorder.record('p1', 'invoke', 'send', { seq: 0, key: null, partition: 0, attempt: 1 });
  fs.rmSync(recorder.file);
  expect(recorder.ops.map((op) => op.f)).toEqual(['inject']);
});

test('a file read in chunks smaller than it gives every line once, across chunk boundaries', () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'), 256);
  for (let seq = 0; seq < 500; seq++) recorder.record('p1', 'invoke', 'send', { seq, key: `k${seq}`, partition: seq % 3, attempt: 1 });
  expect(recorder.ops.map((op) => (op.value as { seq: number }).seq)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  recorder.close();
  expect(recorder.ops).toEqual(fileOps(recorder.file));
});

test('a line longer than a chunk is an error naming the file, not a silent skip', () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'), 64);
  recorder.record('p1', 'info', 'send', { seq: 0, attempt: 1, partition: null, error: 'x'.repeat(200) });
  expect(() => recorder.ops).toThrow(/history\.jsonl: a line longer than 64 bytes at byte 0/);
  expect(() => recorder.close()).toThrow(/a line longer than 64 bytes/);
  expect(() => recorder.close()).not.toThrow(); // closed all the same
});

test('opLine writes what JSON.stringify writes, for every op shape the harness records', () => {
  const ops: HistoryOp[] = [
    { index: 0, timeMs: 0, process: 'p1', type: 'invoke', f: 'send', value: { seq: 0, key: null, partition: null, attempt: 1 } },
    { index: 12, timeMs: 3456, process: 'p1', type: 'ok', f: 'send', value: { seq: 5, attempt: 2, partition: 1, offset: 99 }, late: true },
    { index: 3, timeMs: 7, process: 'p1', type: 'info', f: 'send', value: { seq: 1, attempt: 1, partition: 0, error: 'ERR__MSG_TIMED_OUT: "x"\n\u2028', leader: null, tried: [0, 2] } },
    { index: 4, timeMs: 8, process: 'nemesis', type: 'info', f: 'inject', value: { fault: 'blackhole', target: 'k1', partitions: [0] } },
    { index: 5, timeMs: 9, process: 'c1 "quoted"\\', type: 'ok', f: 'commit', value: { consumer: 'c1', assignment: 1, id: 0, auto: true, offsets: [{ partition: 0, offset: 1 }] } },
    { index: 6, timeMs: 10, process: 'p1', type: 'fail', f: 'send', value: { seq: 2, attempt: 1, partition: 0, error: 'refused', fatal: undefined } },
  ];
  for (const op of ops) expect(opLine(op)).toBe(JSON.stringify(op));
});

test('lines longer than the write buffer, and more lines than it holds, are written whole and in order', () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
  const long = 'é'.repeat(400_000); // 1.2 MB of UTF-8 at most: more than the 1 MiB buffer
  recorder.record('p1', 'invoke', 'send', { seq: 0, key: null, partition: 0, attempt: 1 });
  recorder.record('p1', 'info', 'send', { seq: 0, attempt: 1, partition: 0, error: long });
  for (let seq = 1; seq <= 20_000; seq++) recorder.record('p1', 'invoke', 'send', { seq, key: null, partition: seq % 3, attempt: 1 });
  recorder.close();
  const written = fileOps(recorder.file);
  expect(written).toHaveLength(20_002);
  expect(written.map((op) => op.index)).toEqual(Array.from({ length: 20_002 }, (_, i) => i));
  expect(written[1].value.error).toBe(long);
  expect(recorder.ops).toEqual(written);
});

test('flushes reach the file in the background, in order, and close with a write in flight leaves the whole file', async () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
  // About 3 MB: the 1 MiB buffer is handed to background writes a few times.
  for (let seq = 0; seq < 30_000; seq++) recorder.recordSendInvoke('p1', seq, null, seq % 3, 1);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the writes in libuv's pool, not ops or close
  const early = fs.readFileSync(recorder.file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  expect(early.length).toBeGreaterThan(20_000); // every full buffer is on disk: all but the last MiB
  expect(early.map((op) => op.index)).toEqual(Array.from({ length: early.length }, (_, i) => i)); // a prefix, no hole
  for (let seq = 30_000; seq < 40_000; seq++) recorder.recordSendOk('p1', seq, 1, 0, seq, false);
  recorder.flush(); // a write now in flight…
  recorder.close(); // …and close at once: everything written, the file closed by the write's callback
  expect(fileOps(recorder.file)).toHaveLength(40_000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(recorder.ops).toHaveLength(40_000);
});

test('recorders side by side (lanes) share the send-line writer and each file gets only its own lines', () => {
  // Enough ops (about 9 MB each) for both recorders to swap buffers several times.
  const [a, b] = ['a.jsonl', 'b.jsonl'].map((name) => new HistoryRecorder(path.join(dir, name)));
  for (let seq = 0; seq < 40_000; seq++) {
    a.recordSendInvoke('p1', seq, null, null, 1);
    b.recordSendInvoke('p2', seq + 1_000_000, `k-${seq}`, seq % 3, 2);
    b.recordSendOk('p2', seq + 1_000_000, 2, seq % 3, seq, seq % 2 === 0);
    a.recordSendOk('p1', seq, 1, 0, seq, false);
  }
  a.close();
  b.close();
  const [fromA, fromB] = [fileOps(a.file), fileOps(b.file)];
  expect(fromA).toHaveLength(80_000);
  expect(fromB).toHaveLength(80_000);
  expect(fromA.every((op, i) => op.index === i && op.process === 'p1' && op.value.seq === Math.floor(i / 2))).toBe(true);
  expect(fromB.every((op, i) => op.index === i && op.process === 'p2' && op.value.seq === 1_000_000 + Math.floor(i / 2))).toBe(true);
  expect(fromB[2]).toEqual({ index: 2, timeMs: fromB[2].timeMs, process: 'p2', type: 'invoke', f: 'send', value: { seq: 1_000_001, key: 'k-1', partition: 1, attempt: 2 } });
  expect(fromB[3]).toEqual({ index: 3, timeMs: fromB[3].timeMs, process: 'p2', type: 'ok', f: 'send', value: { seq: 1_000_001, attempt: 2, partition: 1, offset: 1 } });
});
