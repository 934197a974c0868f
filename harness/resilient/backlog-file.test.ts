import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BACKLOG_FILE, BACKLOG_LOCK, BacklogFile, BacklogFullError } from './backlog-file';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-backlog-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const record = (n: number, partition: number | null = null) => ({ key: partition === null ? null : `k-${n}`, partition, value: Buffer.from(`value-${n}`) });
const values = (b: BacklogFile) => [...b.entries()].map((e) => b.read(e).value.toString());
const fileText = () => fs.readFileSync(path.join(dir, BACKLOG_FILE), 'utf8');

test('append resolves once the batch is written and fsynced; entries come back in order', async () => {
  const fsyncs = jest.spyOn(fs, 'fdatasync');
  const b = BacklogFile.open(dir);
  try {
    const [first, second] = await Promise.all([b.append([record(0), record(1, 2)]), b.append([record(2)])]);
    expect(first.map((e) => e.id)).toEqual([0, 1]);
    expect(second.map((e) => e.id)).toEqual([2]);
    expect(b.size).toBe(3);
    expect(values(b)).toEqual(['value-0', 'value-1', 'value-2']);
    expect(b.read(first[1])).toEqual({ key: 'k-1', partition: 2, value: Buffer.from('value-1') });
    // Two appends queued together share one write and one fsync (group commit) or take one each: never more.
    expect(fsyncs.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(fsyncs.mock.calls.length).toBeLessThanOrEqual(2);
    expect(fileText().trim().split('\n')).toHaveLength(3);
  } finally {
    fsyncs.mockRestore();
    await b.close();
  }
});

test('nothing is pending before its fsync returned', async () => {
  const b = BacklogFile.open(dir);
  const appended = b.append([record(0)]);
  expect(b.size).toBe(0);
  await appended;
  expect(b.size).toBe(1);
  await b.close();
});

test('a restart (new BacklogFile on the same dir) replays what is pending, in order, without the delivered ones', async () => {
  const a = BacklogFile.open(dir);
  const entries = await a.append([0, 1, 2, 3, 4].map((n) => record(n, n % 2 === 0 ? 0 : null)));
  await a.markDone([entries[1].id, entries[3].id]);
  expect(a.size).toBe(3);
  await a.close();

  const b = BacklogFile.open(dir);
  expect(values(b)).toEqual(['value-0', 'value-2', 'value-4']);
  expect([...b.entries()].map((e) => e.partition)).toEqual([0, 0, 0]);
  // Ids keep growing across restarts, so a done mark can never hit a newer message.
  const [next] = await b.append([record(5)]);
  expect(next.id).toBe(5);
  // Delivered lines were compacted away when the file was opened.
  expect(fileText()).not.toContain('"done"');
  await b.close();
});

test('a torn last line (crash mid-write) is ignored and cut off; the complete lines before it survive', async () => {
  const a = BacklogFile.open(dir);
  await a.append([record(0), record(1)]);
  await a.close();
  fs.appendFileSync(path.join(dir, BACKLOG_FILE), '{"id":2,"p":null,"k":null,"v":"dmFs'); // no closing brace, no newline

  const b = BacklogFile.open(dir);
  expect(b.tornLinesDropped).toBe(1);
  expect(values(b)).toEqual(['value-0', 'value-1']);
  await b.append([record(2)]);
  await b.close();
  // The torn bytes are gone: the next append started on a clean line.
  const reopened = BacklogFile.open(dir);
  expect(values(reopened)).toEqual(['value-0', 'value-1', 'value-2']);
  expect(fileText().split('\n').filter(Boolean).every((line) => JSON.parse(line))).toBe(true);
  await reopened.close();
});

test('a tail of zeros (a crash that extended the file but never wrote it) counts as torn too', async () => {
  const a = BacklogFile.open(dir);
  await a.append([record(0)]);
  await a.close();
  fs.appendFileSync(path.join(dir, BACKLOG_FILE), Buffer.alloc(64));
  const b = BacklogFile.open(dir);
  expect(values(b)).toEqual(['value-0']);
  await b.close();
});

test('a damaged line followed by good ones is not a torn write: open fails naming the line', async () => {
  const a = BacklogFile.open(dir);
  await a.append([record(0)]);
  await a.close();
  fs.appendFileSync(path.join(dir, BACKLOG_FILE), 'garbage\n{"id":9,"p":null,"k":null,"v":"eA=="}\n');
  expect(() => BacklogFile.open(dir)).toThrow(/line 2 is damaged and good lines follow it/);
  // The failed open released the lock: after a fix the dir opens again.
  fs.writeFileSync(path.join(dir, BACKLOG_FILE), fileText().replace('garbage\n', ''));
  const b = BacklogFile.open(dir);
  expect(b.size).toBe(2);
  await b.close();
});

test('a message is kept only once its fsync returned: a crash right after append keeps every resolved message', async () => {
  // A child appends, prints the ids it got back, and is SIGKILLed by itself before any close().
  const script = `
    const { BacklogFile } = require(${JSON.stringify(path.join(__dirname, 'backlog-file.ts'))});
    const b = BacklogFile.open(${JSON.stringify(dir)});
    (async () => {
      for (let i = 0; i < 20; i++) {
        const entries = await b.append([{ key: null, partition: null, value: Buffer.from('m' + i) }]);
        process.stdout.write(entries[0].id + '\\n');
      }
      process.kill(process.pid, 'SIGKILL');
    })();`;
  const child = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8' });
  expect(child.signal).toBe('SIGKILL');
  const acknowledged = child.stdout.trim().split('\n').map(Number);
  expect(acknowledged).toHaveLength(20);
  // The dead child's lock is taken over.
  expect(fs.readFileSync(path.join(dir, BACKLOG_LOCK), 'utf8')).not.toBe(String(process.pid));
  const b = BacklogFile.open(dir);
  expect([...b.entries()].map((e) => e.id)).toEqual(acknowledged);
  await b.close();
});

test('one producer per dir: a second open in this process fails until the first closes', async () => {
  const a = BacklogFile.open(dir);
  expect(() => BacklogFile.open(dir)).toThrow(/already open in this process/);
  await a.close();
  const b = BacklogFile.open(dir);
  await b.close();
});

test('a live owner elsewhere (its pid in the lock) makes open fail', () => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, BACKLOG_LOCK), String(process.ppid));
  expect(() => BacklogFile.open(dir)).toThrow(new RegExp(`in use by process ${process.ppid}`));
});

test('maxBytes bounds the pending bytes: a full backlog rejects at once and appends nothing', async () => {
  const b = BacklogFile.open(dir, { maxBytes: 1024 });
  const big = { key: null, partition: null, value: Buffer.alloc(300, 1) };
  await b.append([big, big]);
  await expect(b.append([big])).rejects.toBeInstanceOf(BacklogFullError);
  expect(b.size).toBe(2);
  await b.markDone([[...b.entries()][0].id]);
  await expect(b.append([big])).resolves.toHaveLength(1);
  await b.close();
});

test('the file is emptied once everything is delivered, and rewritten when delivered lines dominate', async () => {
  const b = BacklogFile.open(dir, { maxBytes: 64 * 1024 * 1024 });
  const entries = await b.append([record(0), record(1)]);
  await b.markDone(entries.map((e) => e.id));
  expect(fs.statSync(path.join(dir, BACKLOG_FILE)).size).toBe(0);

  const value = Buffer.alloc(10_000, 7);
  const many = await b.append(Array.from({ length: 300 }, () => ({ key: null, partition: null, value })));
  await b.markDone(many.slice(0, 299).map((e) => e.id));
  const size = fs.statSync(path.join(dir, BACKLOG_FILE)).size;
  expect(size).toBeLessThan(20_000); // only the last message (and nothing else) is left
  expect(b.read([...b.entries()][0]).value).toEqual(value);
  await b.close();
});
