import { HarnessError } from '../errors';
import { errorText } from './error-text';

/** Pause between two probes. @default 200 */
const DEFAULT_INTERVAL_MS = 200;

/**
 * Thrown by a probe to end the wait at once (e.g. the process it waits for has exited): waitUntil
 * rethrows it instead of trying again until the deadline.
 */
export class StopWaiting extends HarnessError {}

export interface WaitOptions {
  timeoutMs: number;
  /** @default 200 */
  intervalMs?: number;
  /** Where to look when the wait times out (a log path, its last lines); appended to the message. */
  onTimeout?: () => string;
}

type Outcome<T> = { kind: 'value'; value: T } | { kind: 'not-yet' } | { kind: 'error'; error: unknown } | { kind: 'overran' };

/**
 * Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. A probe that throws
 * is tried again (a StopWaiting ends the wait); a probe still running at the deadline is abandoned.
 * The timeout error names what was awaited, how the last probe ended (its error's text, or "not
 * ready yet") and `onTimeout`'s pointer; the last error is also its `cause`.
 */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadlineMs = Date.now() + options.timeoutMs;
  let lastError: unknown;
  let last: Outcome<T>['kind'] = 'not-yet';
  let probes = 0;
  for (;;) {
    probes++;
    const outcome = await probeBefore(probe, deadlineMs);
    if (outcome.kind === 'value') return outcome.value;
    if (outcome.kind === 'error') {
      if (outcome.error instanceof StopWaiting) throw outcome.error;
      lastError = outcome.error;
    }
    last = outcome.kind;
    const leftMs = deadlineMs - Date.now();
    // 'overran' means the deadline timer fired; Date.now() may still read a millisecond short of it.
    if (outcome.kind === 'overran' || leftMs <= 0) throw timeoutError(what, options, probes, last, lastError);
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? DEFAULT_INTERVAL_MS, leftMs)));
  }
}

/** Runs one probe, but answers 'overran' once the deadline passes (the probe's late result is dropped). */
async function probeBefore<T>(probe: () => Promise<T | undefined>, deadlineMs: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'overran' }), Math.max(0, deadlineMs - Date.now()));
  });
  // Never rejects, so an abandoned probe that fails later raises no unhandled rejection.
  const attempt = Promise.resolve()
    .then(probe)
    .then(
      (value): Outcome<T> => (value === undefined ? { kind: 'not-yet' } : { kind: 'value', value }),
      (error: unknown): Outcome<T> => ({ kind: 'error', error }),
    );
  try {
    return await Promise.race([attempt, overran]);
  } finally {
    clearTimeout(timer);
  }
}

function timeoutError(what: string, options: WaitOptions, probes: number, last: Outcome<unknown>['kind'], lastError: unknown): HarnessError {
  const earlier = lastError === undefined ? '' : `; the error before it: ${errorText(lastError)}`;
  const how =
    last === 'error' ? `last error: ${errorText(lastError)}`
    : last === 'overran' ? `the last check was still running at the deadline${earlier}`
    : `the last check found it not ready yet${earlier}`;
  const where = options.onTimeout?.();
  return new HarnessError(`timed out after ${options.timeoutMs} ms waiting for ${what} (${probes} checks); ${how}${where ? `\n  ${where}` : ''}`, {
    cause: lastError,
  });
}
