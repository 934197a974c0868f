import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistoryRecorder } from './history-recorder';

// Background mode (a worker thread encodes and writes) must give the very file the foreground
// gives: the same lines, in the same order, for every kind of op the harness records.
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-background-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

type Step =
  | { kind: 'invoke'; process: string; seq: number; key: string | null; partition: number | null; attempt: number }
  | { kind: 'ok'; process: string; seq: number; attempt: number; partition: number | null; offset: number | null; late: boolean }
  | { kind: 'other'; process: string; error: string };

const processName = fc.constantFrom('p1', 'p2', 'nemesis', 'c1 "é"');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('invoke' as const), process: processName, seq: fc.nat(), key: fc.option(fc.string({ unit: 'binary' }), { nil: null }), partition: fc.option(fc.nat(5), { nil: null }), attempt: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('ok' as const), process: processName, seq: fc.nat(), attempt: fc.integer({ min: 1, max: 8 }), partition: fc.option(fc.nat(5), { nil: null }), offset: fc.option(fc.maxSafeNat(), { nil: null }), late: fc.boolean() }),
  fc.record({ kind: fc.constant('other' as const), process: processName, error: fc.string({ unit: 'binary' }) }),
);

function replay(recorder: HistoryRecorder, steps: Step[]): void {
  for (const s of steps) {
    if (s.kind === 'invoke') recorder.recordSendInvoke(s.process, s.seq, s.key, s.partition, s.attempt);
    else if (s.kind === 'ok') recorder.recordSendOk(s.process, s.seq, s.attempt, s.partition, s.offset, s.late);
    else recorder.record(s.process, 'info', 'send', { seq: 0, attempt: 1, partition: null, error: s.error });
  }
}

/** The file with every timeMs set to 0: two recorders' clocks may differ by a millisecond. */
const withoutTime = (file: string) => fs.readFileSync(file, 'utf8').replace(/"timeMs":\d+/g, '"timeMs":0');

test('any sequence of ops: the background file is the foreground file, line for line', () => {
  let run = 0;
  fc.assert(
    fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
      run++;
      const foreground = new HistoryRecorder(path.join(dir, `fg-${run}.jsonl`));
      const background = new HistoryRecorder(path.join(dir, `bg-${run}.jsonl`), { background: true });
      replay(foreground, steps);
      replay(background, steps);
      foreground.close();
      background.close();
      expect(withoutTime(background.file)).toBe(withoutTime(foreground.file));
      expect(background.ops).toHaveLength(steps.length);
    }),
    { numRuns: 40 },
  );
});

test('many chunks, a line longer than a chunk, and reads while recording: every op once, in order', () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'), { background: true });
  for (let seq = 0; seq < 30_000; seq++) recorder.recordSendInvoke('p1', seq, null, null, 1); // about 2 chunks of numbers, 3 MB of lines
  expect(recorder.ops).toHaveLength(30_000); // waits for the thread, then reads the file
  const long = 'é'.repeat(400_000); // more than a 1 MiB chunk once encoded
  recorder.record('p1', 'info', 'send', { seq: 0, attempt: 1, partition: null, error: long });
  for (let seq = 0; seq < 30_000; seq++) recorder.recordSendOk('p1', seq, 1, seq % 3, seq, seq === 29_999);
  recorder.close();
  const lines = fs.readFileSync(recorder.file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  expect(lines.map((op) => op.index)).toEqual(Array.from({ length: 60_001 }, (_, i) => i));
  expect(lines[30_000].value.error).toBe(long);
  expect(lines[60_000]).toMatchObject({ type: 'ok', late: true, value: { seq: 29_999, attempt: 1, partition: 2, offset: 29_999 } });
  expect(recorder.ops).toEqual(lines);
});

test('a flush hands the chunk over without waiting; the thread writes it on its own', async () => {
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'), { background: true });
  recorder.recordSendInvoke('p1', 0, null, 2, 1);
  recorder.flush();
  for (let waited = 0; waited < 100 && fs.statSync(recorder.file).size === 0; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(JSON.parse(fs.readFileSync(recorder.file, 'utf8'))).toMatchObject({ index: 0, type: 'invoke', value: { seq: 0, key: null, partition: 2, attempt: 1 } });
  recorder.close();
});
