import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLineProtocolProducer, LineProtocolOptions } from './line-protocol-producer';
import { DEFAULT_PRODUCER_SETTINGS, OutgoingMessage, ProducerSettings } from './producer-under-test';

// A real child process speaking docs/producer-protocol.md. What it does is steered by message keys:
// "delay-<ms>" answers after that long, "reject" fails definitely, "die" exits at once with code 7,
// "answer:<json>" answers with that outcome as written, anything else is acked at offset seq * 10
// (after checking the base64 value survived).
// settings.raw: { initError } answers init with an error, { neverReady } never answers it,
// { ignoreClose } ignores close and stdin's end.
const FAKE_PRODUCER = String.raw`
const readline = require('node:readline');
const out = (message) => process.stdout.write(JSON.stringify(message) + '\n');
let raw = {};
process.stdout.write('a log line on stdout that is not protocol\n');
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.type === 'init') {
    raw = message.settings.raw;
    process.stderr.write('fake producer: init for ' + message.topic + '\n');
    if (raw.initError) { out({ type: 'error', error: 'bad config: ' + raw.initError }); process.exit(1); }
    if (!raw.neverReady) out({ type: 'ready' });
    return;
  }
  if (message.type === 'send') {
    let delayMs = 0;
    const outcomes = message.messages.map((m) => {
      const key = m.key || '';
      if (key === 'die') { process.stderr.write('fake producer: dying\n'); process.exit(7); }
      if (key.startsWith('delay-')) delayMs = Math.max(delayMs, Number(key.slice(6)));
      if (key.startsWith('answer:')) return JSON.parse(key.slice('answer:'.length));
      if (key === 'reject') return { ok: false, definite: true, error: 'rejected by the fake', partition: m.partition };
      const value = Buffer.from(m.value, 'base64').toString();
      if (value !== 'v-' + m.seq) return { ok: false, definite: false, error: 'value did not survive: ' + value, partition: null };
      return { ok: true, partition: m.partition === null ? 2 : m.partition, offset: m.seq * 10 };
    });
    setTimeout(() => out({ type: 'result', id: message.id, outcomes }), delayMs);
    return;
  }
  if (message.type === 'close' && !raw.ignoreClose) { out({ type: 'closed' }); process.exit(0); }
});
lines.on('close', () => { if (!raw.ignoreClose) process.exit(0); });
setInterval(() => {}, 1000); // stay alive until told otherwise
`;

let dir: string;
let script: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-line-protocol-'));
  script = path.join(dir, 'fake-producer.js');
  fs.writeFileSync(script, FAKE_PRODUCER);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const message = (seq: number, key: string | null = null, partition: number | null = null): OutgoingMessage => ({
  seq,
  key,
  partition,
  value: Buffer.from(`v-${seq}`),
});

function fakeProducer(raw: ProducerSettings['raw'] = {}, options: Partial<LineProtocolOptions> = {}) {
  const factory = createLineProtocolProducer(process.execPath, [script], { client: 'fake', logFile: path.join(dir, 'fake.log'), ...options });
  return factory('127.0.0.1:9092', 'topic-a', { ...DEFAULT_PRODUCER_SETTINGS, raw });
}

test('outcomes come back by id, out of order, one per message', async () => {
  const producer = fakeProducer();
  await producer.connect();
  const order: string[] = [];
  const slow = producer.send([message(1, 'delay-300')]).then((o) => (order.push('slow'), o));
  const fast = producer.send([message(2, 'k', 1), message(3, 'reject', 0), message(4)]).then((o) => (order.push('fast'), o));
  const [slowOutcomes, fastOutcomes] = await Promise.all([slow, fast]);
  expect(order).toEqual(['fast', 'slow']);
  expect(slowOutcomes).toEqual([{ ok: true, partition: 2, offset: 10 }]);
  expect(fastOutcomes).toEqual([
    { ok: true, partition: 1, offset: 20 },
    { ok: false, definite: true, error: 'rejected by the fake', partition: 0 },
    { ok: true, partition: 2, offset: 40 },
  ]);
  await producer.close(1_000);
  expect(fs.readFileSync(path.join(dir, 'fake.log'), 'utf8')).toContain('fake producer: init for topic-a');
});

test('an unknown offset or partition (null, -1 or absent) becomes null; a malformed one keeps the write unknown', async () => {
  const producer = fakeProducer();
  await producer.connect();
  const answer = (outcome: object, partition: number | null = null) => message(1, `answer:${JSON.stringify(outcome)}`, partition);
  const outcomes = await producer.send([
    answer({ ok: true, partition: 1, offset: -1 }),
    answer({ ok: true, partition: 1, offset: null }),
    answer({ ok: true, partition: 1 }),
    answer({ ok: true, partition: -1, offset: 7 }, 0),
    answer({ ok: true, partition: null, offset: -1 }),
    answer({ ok: true, partition: 1, offset: '12' }),
    answer({ ok: true, partition: 1.5, offset: 12 }),
  ]);
  expect(outcomes.slice(0, 5)).toEqual([
    { ok: true, partition: 1, offset: null },
    { ok: true, partition: 1, offset: null },
    { ok: true, partition: 1, offset: null },
    { ok: true, partition: 0, offset: 7 },
    { ok: true, partition: null, offset: null },
  ]);
  expect(outcomes[5]).toMatchObject({ ok: false, definite: false, error: expect.stringMatching(/^malformed outcome from the producer \(offset "12"\)/) });
  expect(outcomes[6]).toMatchObject({ ok: false, definite: false, error: expect.stringMatching(/^malformed outcome from the producer \(partition 1\.5\)/) });
  await producer.close(1_000);
});

test('many sends outstanding at once each get their own outcome', async () => {
  const producer = fakeProducer();
  await producer.connect();
  const outcomes = await Promise.all(Array.from({ length: 200 }, (_, seq) => producer.send([message(seq, `delay-${(seq * 7) % 50}`)])));
  expect(outcomes.map(([o]) => o)).toEqual(Array.from({ length: 200 }, (_, seq) => ({ ok: true, partition: 2, offset: seq * 10 })));
  await producer.close(1_000);
});

test('a child that dies settles every outstanding send as unknown, later sends as not sent', async () => {
  const producer = fakeProducer();
  await producer.connect();
  const outstanding = producer.send([message(1, 'delay-10000', 0), message(2)]);
  const dying = producer.send([message(3, 'die')]);
  const expected = { ok: false, definite: false, error: 'producer process exited (code 7)' };
  expect(await outstanding).toEqual([{ ...expected, partition: 0 }, { ...expected, partition: null }]);
  expect(await dying).toEqual([{ ...expected, partition: null }]);
  const [after] = await producer.send([message(4)]);
  expect(after).toMatchObject({ ok: false, definite: true });
  await producer.close(1_000); // nothing left to close: resolves at once
});

test('close sends close, waits for the exit, and later sends are refused', async () => {
  const producer = fakeProducer();
  await producer.connect();
  const startedMs = Date.now();
  await producer.close(5_000);
  expect(Date.now() - startedMs).toBeLessThan(2_000);
  expect(await producer.send([message(1)])).toEqual([{ ok: false, definite: true, error: 'producer closed: not sent', partition: null }]);
});

test('close kills a child that ignores it, and settles what was outstanding as unknown', async () => {
  const producer = fakeProducer({ ignoreClose: true }, { closeGraceMs: 200 });
  await producer.connect();
  const outstanding = producer.send([message(1, 'delay-60000')]);
  const startedMs = Date.now();
  await producer.close(300);
  const tookMs = Date.now() - startedMs;
  expect(tookMs).toBeGreaterThanOrEqual(450);
  expect(tookMs).toBeLessThan(3_000);
  const [outcome] = await outstanding;
  expect(outcome).toMatchObject({ ok: false, definite: false });
  expect((outcome as { error: string }).error).toMatch(/SIGKILL|closed before a result/);
});

test('connect rejects with the error the child reported and its stderr', async () => {
  const producer = fakeProducer({ initError: 'acks=7' });
  await expect(producer.connect()).rejects.toThrow(/could not start: bad config: acks=7[\s\S]*fake producer: init for topic-a/);
  expect(await producer.send([message(1)])).toMatchObject([{ ok: false, definite: true }]);
});

test('connect times out when the child never says ready, and kills it', async () => {
  const producer = fakeProducer({ neverReady: true }, { readyTimeoutMs: 500 });
  await expect(producer.connect()).rejects.toThrow(/not ready within 500 ms/);
  await producer.close(100);
});

test('a command that cannot be run fails connect with one clear line', async () => {
  const producer = createLineProtocolProducer(path.join(dir, 'no-such-binary'), [], { client: 'missing' })('b', 't', DEFAULT_PRODUCER_SETTINGS);
  await expect(producer.connect()).rejects.toThrow(/missing producer: could not run .*no-such-binary: .*ENOENT/);
});
