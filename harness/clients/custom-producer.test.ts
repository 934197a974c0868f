import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createModuleProducer, customProducerFactory, outcomeOf } from './custom-producer';
import { DEFAULT_PRODUCER_SETTINGS, OutgoingMessage } from './producer-under-test';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-custom-producer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Writes a CommonJS producer module and returns its path. */
function producerModule(source: string): string {
  const file = path.join(dir, `producer-${++counter}.js`);
  fs.writeFileSync(file, source);
  return file;
}

const message = (seq: number, partition: number | null = null): OutgoingMessage => ({ seq, key: `k-${seq}`, partition, value: Buffer.from(JSON.stringify({ seq })) });

test('outcomeOf: a resolved send is ok; kafkajs string offsets are numbers; a missing offset makes no claim', () => {
  expect(outcomeOf(message(1), { status: 'fulfilled', value: { partition: 2, offset: '17' } })).toEqual({ ok: true, partition: 2, offset: 17 });
  expect(outcomeOf(message(1, 1), { status: 'fulfilled', value: undefined })).toEqual({ ok: true, partition: 1, offset: null });
  expect(outcomeOf(message(1), { status: 'fulfilled', value: { partition: 0, offset: 5n } })).toEqual({ ok: true, partition: 0, offset: 5 });
});

test('outcomeOf: an unknown offset or partition is null, never -1 (-1 and null from the producer read as unknown)', () => {
  expect(outcomeOf(message(1), { status: 'fulfilled', value: { partition: 2, offset: -1 } })).toEqual({ ok: true, partition: 2, offset: null });
  expect(outcomeOf(message(1), { status: 'fulfilled', value: { partition: 2, offset: null } })).toEqual({ ok: true, partition: 2, offset: null });
  expect(outcomeOf(message(1), { status: 'fulfilled', value: { partition: -1, offset: '-1' } })).toEqual({ ok: true, partition: null, offset: null });
  expect(outcomeOf(message(1, 0), { status: 'fulfilled', value: { partition: null, offset: 3 } })).toEqual({ ok: true, partition: 0, offset: 3 });
  expect(outcomeOf(message(1), { status: 'fulfilled', value: {} })).toEqual({ ok: true, partition: null, offset: null });
});

test('outcomeOf: a rejection is unknown unless the error says definite: true', () => {
  expect(outcomeOf(message(1, 0), { status: 'rejected', reason: new Error('Request timed out') })).toEqual({ ok: false, definite: false, error: 'Error: Request timed out', partition: 0 });
  const refused = Object.assign(new Error('refused'), { definite: true, partition: 2 });
  expect(outcomeOf(message(1), { status: 'rejected', reason: refused })).toMatchObject({ ok: false, definite: true, partition: 2 });
  expect(outcomeOf(message(1), { status: 'rejected', reason: 'just a string' })).toMatchObject({ ok: false, definite: false, error: 'just a string', partition: null });
});

test('a module producer gets bootstrap, settings with the topic, and each message; its lifecycle is driven', async () => {
  const file = producerModule(`
    const calls = [];
    exports.calls = calls;
    exports.createProducer = (bootstrap, settings) => {
      calls.push(['create', bootstrap, settings.topic, settings.acks]);
      return {
        connect: async () => { calls.push(['connect']); },
        send: async (m) => {
          calls.push(['send', m.seq, m.key, m.partition, m.value.toString()]);
          if (m.seq === 2) throw Object.assign(new Error('broker said NOT_ENOUGH_REPLICAS'), { definite: true });
          if (m.seq === 3) throw new Error('timed out');
          return { partition: m.partition ?? 1, offset: m.seq * 10 };
        },
        close: async () => { calls.push(['close']); },
      };
    };`);
  const producer = createModuleProducer({ module: file }, '127.0.0.1:1,127.0.0.1:2', 'topic-a', DEFAULT_PRODUCER_SETTINGS);
  expect(producer.client).toBe('custom');
  await producer.connect();
  const outcomes = await producer.send([message(1, 0), message(2), message(3, 2)]);
  await producer.close(1000);
  expect(outcomes).toEqual([
    { ok: true, partition: 0, offset: 10 },
    { ok: false, definite: true, error: 'Error: broker said NOT_ENOUGH_REPLICAS', partition: null },
    { ok: false, definite: false, error: 'Error: timed out', partition: 2 },
  ]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require(file).calls).toEqual([
    ['create', '127.0.0.1:1,127.0.0.1:2', 'topic-a', 'all'],
    ['connect'],
    ['send', 1, 'k-1', 0, '{"seq":1}'],
    ['send', 2, 'k-2', null, '{"seq":2}'],
    ['send', 3, 'k-3', 2, '{"seq":3}'],
    ['close'],
  ]);
});

test('the export may be named, be the default export, or be the module itself; an async factory is awaited', async () => {
  const named = producerModule(`exports.makeOutbox = async () => ({ send: async () => ({ partition: 0, offset: 1 }), close: async () => {} });`);
  const byDefault = producerModule(`exports.default = () => ({ send: async () => ({ partition: 0, offset: 2 }), close: async () => {} });`);
  const itself = producerModule(`module.exports = () => ({ send: async () => ({ partition: 0, offset: 3 }), close: async () => {} });`);
  for (const [spec, offset] of [[{ module: named, export: 'makeOutbox' }, 1], [{ module: byDefault }, 2], [{ module: itself }, 3]] as const) {
    const producer = customProducerFactory(spec)('b:1', 't', DEFAULT_PRODUCER_SETTINGS);
    await producer.connect();
    expect(await producer.send([message(0)])).toEqual([{ ok: true, partition: 0, offset }]);
    await producer.close(100);
  }
});

test('a module without the factory is one error naming the export and what the module has', async () => {
  const file = producerModule(`exports.createProducr = () => ({}); exports.VERSION = 1;`);
  await expect(createModuleProducer({ module: file }, 'b:1', 't', DEFAULT_PRODUCER_SETTINGS).connect()).rejects.toThrow(/has no exported function createProducer[\s\S]*functions it exports: createProducr/);
});

test('a module that fails to load, or a factory returning no producer, is one clear error', async () => {
  const broken = producerModule(`throw new Error('boom at load');`);
  await expect(createModuleProducer({ module: broken }, 'b:1', 't', DEFAULT_PRODUCER_SETTINGS).connect()).rejects.toThrow(/producer module .* could not be loaded: boom at load/);
  const empty = producerModule(`exports.createProducer = () => ({ send: async () => ({}) });`);
  await expect(createModuleProducer({ module: empty }, 'b:1', 't', DEFAULT_PRODUCER_SETTINGS).connect()).rejects.toThrow(/not an object with send\(\) and close\(\)/);
});

test('close is bounded by its timeout; sends after close are definitely not written', async () => {
  const file = producerModule(`exports.createProducer = () => ({ send: async () => ({ partition: 0, offset: 0 }), close: () => new Promise(() => {}) });`);
  const producer = createModuleProducer({ module: file }, 'b:1', 't', DEFAULT_PRODUCER_SETTINGS);
  await producer.connect();
  const started = Date.now();
  await producer.close(50);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(await producer.send([message(9, 1)])).toEqual([{ ok: false, definite: true, error: 'producer not connected', partition: 1 }]);
});

test('close without a successful connect does nothing', async () => {
  await expect(createModuleProducer({ module: path.join(dir, 'missing.js') }, 'b:1', 't', DEFAULT_PRODUCER_SETTINGS).close(10)).resolves.toBeUndefined();
});

test('a command producer is a child process speaking the line protocol, with client "custom"', () => {
  const producer = customProducerFactory({ command: ['node', 'producer.js'] })('b:1', 't', DEFAULT_PRODUCER_SETTINGS);
  expect(producer.client).toBe('custom');
});
