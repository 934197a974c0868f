import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_USAGE, checkCommand, checkFiles } from './check-command';
import type { CheckResult } from './checker/check-types';

let dir: string;
let history: string;
let observed: string;
let lossyObserved: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kchaos-check-'));
  const ops: object[] = [];
  for (let seq = 0; seq < 3; seq++) {
    ops.push({ index: ops.length, timeMs: 10 * seq, process: 'p1', type: 'invoke', f: 'send', value: { seq, key: null, partition: null } });
    ops.push({ index: ops.length, timeMs: 10 * seq + 4, process: 'p1', type: 'ok', f: 'send', value: { seq, partition: 0, offset: seq } });
  }
  history = join(dir, 'history.jsonl');
  writeFileSync(history, ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
  const rec = (seq: number) => JSON.stringify({ partition: 0, offset: seq, seq, key: null });
  observed = join(dir, 'observed.jsonl');
  writeFileSync(observed, [0, 1, 2].map(rec).join('\n') + '\n');
  lossyObserved = join(dir, 'lossy.jsonl');
  writeFileSync(lossyObserved, [0, 2].map(rec).join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await checkCommand(argv, (line) => lines.push(line));
  return { code, lines };
}

describe('kchaos check', () => {
  test('clean run, no expectations: table with counts, latency and verdict; exit 0', async () => {
    const { code, lines } = await run(['--history', history, '--observed', observed]);
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/^ {2}attempted\s+3$/m);
    expect(text).toMatch(/^ {2}lostAcked\s+0$/m);
    expect(text).toMatch(/^latency ms {3}p50 4 {3}p95 4 {3}p99 4 {3}max 4$/m);
    expect(lines[lines.length - 1]).toBe('verdict pass');
  });

  test('--json prints the CheckResult as one JSON line', async () => {
    const { code, lines } = await run([`--history=${history}`, `--observed=${observed}`, '--json']);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]) as CheckResult;
    expect(result.counts.acked).toBe(3);
    expect(result.latencyMs.max).toBe(4);
    expect(result.verdict).toBe('pass');
  });

  test('a failing expectation: exit 1, the table names the offending seq', async () => {
    const { code, lines } = await run(['--history', history, '--observed', lossyObserved, '--expect', '{"lostAcked":0}']);
    expect(code).toBe(1);
    const text = lines.join('\n');
    expect(text).toMatch(/^ {2}lostAcked\s+1 {3}e\.g\. 1$/m);
    expect(text).toMatch(/^ {2}offsetMismatch\s+1 {3}e\.g\. seq 1 at 0\/1$/m);
    expect(text).toContain('expect lostAcked eq 0   actual 1   FAILED');
    expect(lines[lines.length - 1]).toBe('verdict fail');
  });

  test('a holding expectation pins a measured loss: exit 0', async () => {
    const { code } = await run(['--history', history, '--observed', lossyObserved, '--expect', '{"undelivered":{"gt":0}}', '--json']);
    expect(code).toBe(0);
  });

  test('a history without sends cannot pass: exit 1 with a note', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const { code, lines } = await run(['--history', empty, '--observed', empty]);
    expect(code).toBe(1);
    expect(lines.join('\n')).toContain('no send was invoked in the history');
  });

  test.each([
    [[], `kchaos check: missing --history; ${CHECK_USAGE}`],
    [['--history', 'h'], `kchaos check: missing --observed; ${CHECK_USAGE}`],
    [['--history'], `kchaos check: --history needs a value; ${CHECK_USAGE}`],
    [['--hist', 'h'], `kchaos check: unknown argument "--hist"; ${CHECK_USAGE}`],
  ])('usage error %j: exit 2 and one line', async (argv, message) => {
    expect(await run(argv)).toEqual({ code: 2, lines: [message] });
  });

  test('bad --expect: exit 2 naming the field', async () => {
    const bad = await run(['--history', history, '--observed', observed, '--expect', '{"undeliverd":0}']);
    expect(bad.code).toBe(2);
    expect(bad.lines).toHaveLength(1);
    expect(bad.lines[0]).toMatch(/^kchaos check: expectations\.undeliverd: unknown count; known: attempted, .* — fix: did you mean "undelivered"\?$/);
    const notJson = await run(['--history', history, '--observed', observed, '--expect', '{undelivered:0}']);
    expect(notJson.code).toBe(2);
    expect(notJson.lines[0]).toMatch(/^kchaos check: --expect is not valid JSON/);
  });

  test('missing file or malformed line: exit 2 and one line naming it', async () => {
    const missing = await run(['--history', history, '--observed', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.lines).toEqual([
      `kchaos check: observed file not found: ${join(dir, 'nope.jsonl')} — fix: pass a scenario's observed.jsonl, e.g. runs/latest/scenarios/<slug>/observed.jsonl`,
    ]);
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"partition":0,"offset":0,"seq":0,"key":null}\n{"partition":0,"offset":"1","seq":1,"key":null}\n');
    const bad = await run(['--history', history, '--observed', broken]);
    expect(bad).toEqual({ code: 2, lines: [`kchaos check: ${broken}:2: "offset" must be a non-negative integer, got "1"`] });
  });

  test('acks without an offset (null, or an archived -1) load and make no offset claim', async () => {
    const unknownOffsets = join(dir, 'unknown-offsets.jsonl');
    const op = (index: number, type: string, value: object) => JSON.stringify({ index, timeMs: index, process: 'p1', type, f: 'send', value });
    writeFileSync(unknownOffsets, [
      op(0, 'invoke', { seq: 0, key: null, partition: null }),
      op(1, 'ok', { seq: 0, partition: 0, offset: null }),
      op(2, 'invoke', { seq: 1, key: null, partition: null }),
      op(3, 'ok', { seq: 1, partition: -1, offset: -1 }),
      op(4, 'invoke', { seq: 2, key: null, partition: null }),
      op(5, 'ok', { seq: 2, partition: 0, offset: 2 }),
    ].join('\n') + '\n');
    const { code, lines } = await run(['--history', unknownOffsets, '--observed', observed, '--json', '--expect', '{"lostAcked":0,"offsetMismatch":0}']);
    expect(code).toBe(0);
    const result = JSON.parse(lines[0]) as CheckResult;
    expect(result.counts).toMatchObject({ attempted: 3, acked: 3, lostAcked: 0, offsetMismatch: 0 });
  });

  test('a string offset in the history: exit 2 naming value.offset', async () => {
    const stringOffset = join(dir, 'string-offset.jsonl');
    writeFileSync(stringOffset, `${JSON.stringify({ index: 0, timeMs: 0, process: 'p1', type: 'ok', f: 'send', value: { seq: 0, partition: 0, offset: '0' } })}\n`);
    expect(await run(['--history', stringOffset, '--observed', observed])).toEqual({
      code: 2,
      lines: [`kchaos check: ${stringOffset}:1: "value.offset" must be a non-negative integer or null, got "0"`],
    });
  });

  test('checkFiles, the code path behind the command, gives the CheckResult --json prints', async () => {
    const { lines } = await run(['--history', history, '--observed', lossyObserved, '--json', '--expect', '{"lostAcked":0}']);
    expect(await checkFiles(history, lossyObserved, { lostAcked: 0 })).toEqual(JSON.parse(lines[0]));
    await expect(checkFiles(join(dir, 'nope.jsonl'), observed)).rejects.toThrow(/^history file not found/);
  });

  test('--help prints usage, exit 0', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, lines: [CHECK_USAGE] });
  });
});
