import { HarnessError } from '../errors';
import { StopWaiting, waitUntil } from './wait-until';

const failing = (message: string) => async (): Promise<true | undefined> => {
  throw new Error(message);
};

describe('waitUntil', () => {
  test('returns the first value a probe gives, after probes that threw or said "not yet"', async () => {
    const answers: Array<() => string | undefined> = [
      () => { throw new Error('connection refused'); },
      () => undefined,
      () => 'ready',
    ];
    let calls = 0;
    await expect(waitUntil('the thing', async () => answers[calls++](), { timeoutMs: 5_000, intervalMs: 1 })).resolves.toBe('ready');
    expect(calls).toBe(3);
  });

  test('a timeout names what was awaited, quotes the last error and where to look, and keeps the error as cause', async () => {
    const error = await waitUntil('three registered brokers', failing('2 of 3 brokers registered (k1, k2)'), {
      timeoutMs: 60,
      intervalMs: 5,
      onTimeout: () => 'see /tmp/run/k1.log',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    const message = (error as Error).message;
    expect(message).toMatch(/^timed out after 60 ms waiting for three registered brokers \(\d+ checks\); last error: 2 of 3 brokers registered \(k1, k2\)/);
    expect(message).toContain('see /tmp/run/k1.log');
    expect(((error as Error).cause as Error).message).toBe('2 of 3 brokers registered (k1, k2)');
  });

  test('the last error is the newest one, with the causes and aggregated reasons it carries', async () => {
    let n = 0;
    const probe = async (): Promise<true | undefined> => {
      n++;
      const reason = Object.assign(new Error(`Replication factor: 3 larger than available brokers: ${n === 1 ? 0 : 2}`), { type: 'INVALID_REPLICATION_FACTOR' });
      throw Object.assign(new Error('Topic creation errors'), { name: 'KafkaJSAggregateError', errors: [reason] });
    };
    const message = await waitUntil('the readiness topic', probe, { timeoutMs: 40, intervalMs: 5 }).catch((e: Error) => e.message);
    expect(message).toContain('last error: KafkaJSAggregateError: Topic creation errors; caused by: Replication factor: 3 larger than available brokers: 2 (INVALID_REPLICATION_FACTOR)');
    expect(message).not.toContain('available brokers: 0');
  });

  test('a probe that answered "not yet" last says so, and still quotes the error before it', async () => {
    let n = 0;
    const probe = async (): Promise<true | undefined> => {
      if (n++ === 0) throw new Error('ECONNREFUSED 127.0.0.1:9092');
      return undefined;
    };
    const message = await waitUntil('leaders', probe, { timeoutMs: 30, intervalMs: 5 }).catch((e: Error) => e.message);
    expect(message).toMatch(/the last check found it not ready yet; the error before it: ECONNREFUSED 127\.0\.0\.1:9092/);
  });

  test('a probe that hangs past the deadline is abandoned: the wait ends on time and says the check was still running', async () => {
    const startedMs = Date.now();
    const message = await waitUntil('a hung broker', () => new Promise<undefined>(() => {}), { timeoutMs: 50 }).catch((e: Error) => e.message);
    expect(Date.now() - startedMs).toBeLessThan(1_000);
    expect(message).toMatch(/timed out after 50 ms waiting for a hung broker \(1 checks\); the last check was still running at the deadline/);
  });

  test('StopWaiting from a probe ends the wait at once with that error', async () => {
    const startedMs = Date.now();
    let calls = 0;
    const stop = new StopWaiting('broker k2 exited during start-up; last lines of k2.log: OutOfMemoryError');
    const error = await waitUntil('brokers', async () => {
      calls++;
      throw stop;
    }, { timeoutMs: 10_000, intervalMs: 1 }).catch((e: unknown) => e);
    expect(error).toBe(stop);
    expect(calls).toBe(1);
    expect(Date.now() - startedMs).toBeLessThan(1_000);
  });
});
