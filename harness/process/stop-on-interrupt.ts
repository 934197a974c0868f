import { onShutdown, requestShutdown } from './child-processes';

/** How often a process checks that the one that started it is still there. @default 1000 */
export const PARENT_POLL_MS = 1_000;
/** Exit code when the parent went away: as after SIGHUP (128 + 1). */
export const EXIT_PARENT_GONE = 129;

/**
 * For something long-lived started inside a process someone else runs (the cluster of jest's
 * global setup): `stop` runs on Ctrl-C, SIGTERM and SIGHUP, and also when the process that started
 * this one goes away. The last is what SIGTERM to `npm test` looks like from jest: npm passes the
 * signal to its `sh -c` only, the shell dies and jest runs on, orphaned, with the cluster up.
 * Returns the undo, for a normal teardown.
 */
export function stopOnInterrupt(stop: () => Promise<void>, pollMs = PARENT_POLL_MS): () => void {
  const removeHook = onShutdown(stop);
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write(`\nkchaos: the process that started this one (pid ${parent}) is gone; stopping the cluster\n`);
    requestShutdown(EXIT_PARENT_GONE);
  }, pollMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    removeHook();
  };
}
