import { HarnessError } from '../errors';

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; onTimeout?: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = options.onTimeout?.() ?? (lastError instanceof Error ? lastError.message : '');
      throw new HarnessError(`timed out after ${options.timeoutMs} ms waiting for ${what}${detail ? `: ${detail}` : ''}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}
