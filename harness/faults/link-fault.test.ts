import type { Proxy } from 'toxiproxy-node-client';
import { createLinkFault, streamsOf } from './link-fault';
import type { FaultSpec } from './fault-spec';

/** A stand-in for a Toxiproxy proxy that remembers what was asked of it. */
function fakeProxy() {
  const calls: string[] = [];
  const toxics = new Map<string, Record<string, unknown>>();
  const proxy = {
    listen: '127.0.0.1:1', upstream: '127.0.0.1:2',
    update: async (body: { enabled: boolean }) => { calls.push(`enabled=${body.enabled}`); return proxy; },
    addToxic: async (body: { name: string }) => { toxics.set(body.name, body); calls.push(`add ${body.name}`); return body; },
    getToxic: async (name: string) => {
      if (!toxics.has(name)) throw new Error('not found');
      return { remove: async () => { toxics.delete(name); calls.push(`remove ${name}`); } };
    },
  };
  return { proxy: proxy as unknown as Proxy, calls, toxics };
}

const spec = (over: Partial<FaultSpec>): FaultSpec => ({ kind: 'blackhole', target: 'k1', atMs: 0, healAtMs: null, ...over });

test.each([
  ['blackhole', {}, 'timeout', { timeout: 0 }, ['upstream', 'downstream']],
  ['ack-loss', {}, 'timeout', { timeout: 0 }, ['downstream']],
  ['latency', { latencyMs: 250, jitterMs: 50, direction: 'downstream' }, 'latency', { latency: 250, jitter: 50 }, ['downstream']],
  ['bandwidth', { rateKBps: 5, direction: 'upstream' }, 'bandwidth', { rate: 5 }, ['upstream']],
  ['reset-peer', { timeoutMs: 100 }, 'reset_peer', { timeout: 100 }, ['upstream', 'downstream']],
  ['slow-close', { delayMs: 300 }, 'slow_close', { delay: 300 }, ['upstream', 'downstream']],
  ['slicer', { averageSizeBytes: 10, sizeVariationBytes: 5, delayUs: 20 }, 'slicer', { average_size: 10, size_variation: 5, delay: 20 }, ['upstream', 'downstream']],
  ['limit-data', { bytes: 1000 }, 'limit_data', { bytes: 1000 }, ['upstream', 'downstream']],
] as const)('%s adds the Toxiproxy toxic with its attributes per stream, and heal removes exactly those', async (kind, params, type, attributes, streams) => {
  const { proxy, toxics } = fakeProxy();
  const fault = createLinkFault(spec({ kind, ...params }), proxy, () => {});
  await fault.inject();
  const added = [...toxics.values()];
  expect(added.map((t) => t.stream)).toEqual(streams);
  for (const toxic of added) expect(toxic).toMatchObject({ type, attributes, toxicity: 1 });
  await fault.heal();
  expect(toxics.size).toBe(0);
});

test('two faults of one kind on one proxy get distinct toxic names (faults may overlap)', async () => {
  const { proxy, toxics } = fakeProxy();
  const a = createLinkFault(spec({ kind: 'latency', direction: 'upstream' }), proxy, () => {});
  const b = createLinkFault(spec({ kind: 'latency', direction: 'upstream' }), proxy, () => {});
  await a.inject();
  await b.inject();
  expect(toxics.size).toBe(2);
  await a.heal();
  expect(toxics.size).toBe(1);
});

test('refuse disables the proxy; heal enables it', async () => {
  const { proxy, calls } = fakeProxy();
  const fault = createLinkFault(spec({ kind: 'refuse' }), proxy, () => {});
  await fault.inject();
  await fault.heal();
  expect(calls).toEqual(['enabled=false', 'enabled=true']);
});

test('flap switches the proxy every periodMs until healed, and leaves it enabled', async () => {
  jest.useFakeTimers();
  try {
    const { proxy, calls } = fakeProxy();
    const fault = createLinkFault(spec({ kind: 'flap', periodMs: 100 }), proxy, () => {});
    await fault.inject();
    await jest.advanceTimersByTimeAsync(350);
    expect(calls).toEqual(['enabled=false', 'enabled=true', 'enabled=false', 'enabled=true']);
    await fault.heal();
    await jest.advanceTimersByTimeAsync(500);
    expect(calls.at(-1)).toBe('enabled=true');
    expect(calls).toHaveLength(5);
  } finally {
    jest.useRealTimers();
  }
});

test('streams: both = up and down; ack-loss defaults to downstream', () => {
  expect(streamsOf('blackhole', undefined)).toEqual(['upstream', 'downstream']);
  expect(streamsOf('ack-loss', undefined)).toEqual(['downstream']);
  expect(streamsOf('latency', 'upstream')).toEqual(['upstream']);
});
