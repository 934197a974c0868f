import fs from 'node:fs';
import { spawn, ChildProcess } from 'node:child_process';
import { writePidFile } from './pid-file';
import { writeSpawnIntent } from './spawn-intent';
import { isAlive, signalGroup } from './process-liveness';

/** How long a child gets between SIGTERM and SIGKILL. @default 5000 */
const DEFAULT_GRACE_MS = 5_000;

export interface ManagedChild {
  name: string;
  process: ChildProcess;
  pid: number;
  pidFile: string;
  /** Resolves with the exit code (or signal) once the child is gone. */
  exited: Promise<number | string | null>;
}

const live = new Set<ManagedChild>();
let hooksInstalled = false;

/**
 * Spawns a long-lived child (argument array, no shell) as the leader of its own process group,
 * records it in a pid file, and makes sure it dies with us: on exit, on Ctrl-C, on SIGTERM.
 * `marker` must be unique to this child (a path in the run folder): a crash during the spawn is
 * reaped by it.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; logFile: string; marker: string },
): ManagedChild {
  installExitHooks();
  const startedAt = new Date().toISOString();
  // Killed between here and the pid file, the harness leaves a child only the intent names.
  const intent = writeSpawnIntent({ ownerPid: process.pid, name, marker: options.marker, startedAt });
  let child: ChildProcess;
  let pidFile: string;
  try {
    const logFd = fs.openSync(options.logFile, 'a');
    child = spawn(command, args, { env: options.env, detached: true, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    if (child.pid === undefined) throw new Error(`could not spawn ${command} for ${name}`);
    pidFile = writePidFile({ pid: child.pid, ownerPid: process.pid, name, marker: options.marker, startedAt });
  } finally {
    fs.rmSync(intent, { force: true });
  }
  const pid = child.pid;
  const exited = new Promise<number | string | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal));
    child.on('error', () => resolve(null));
  });
  const managed: ManagedChild = { name, process: child, pid, pidFile, exited };
  live.add(managed);
  void exited.then(() => {
    live.delete(managed);
    fs.rmSync(pidFile, { force: true });
  });
  return managed;
}

/** SIGTERM the group, wait up to `graceMs`, then SIGKILL; resolves when the child is gone. */
export async function stopManaged(child: ManagedChild, graceMs = DEFAULT_GRACE_MS): Promise<void> {
  if (!isAlive(child.pid)) {
    await child.exited;
    return;
  }
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
  signalGroup(child.pid, 'SIGKILL'); // anything the leader left behind in its group
}

/** Synchronous last resort: the 'exit' event cannot wait, so everything still alive gets SIGKILL. */
function killAllNow(): void {
  for (const child of live) {
    signalGroup(child.pid, 'SIGKILL');
    fs.rmSync(child.pidFile, { force: true });
  }
  live.clear();
}

const shutdownHandlers = new Set<() => Promise<void>>();

/** Registers graceful clean-up (e.g. a cluster's stop) to run on Ctrl-C / SIGTERM before exiting. */
export function onShutdown(handler: () => Promise<void>): () => void {
  installExitHooks(); // a run on the docker or external backend spawns no child, yet must stop cleanly
  shutdownHandlers.add(handler);
  return () => shutdownHandlers.delete(handler);
}

let stopping = false;

/** Runs every shutdown handler, then exits with `code`; a second call exits at once (the 'exit' hook SIGKILLs the children). */
function shutdown(code: number): void {
  if (stopping) process.exit(code);
  stopping = true;
  const hardStop = setTimeout(() => process.exit(code), 15_000);
  void Promise.allSettled([...shutdownHandlers].map((handler) => handler())).finally(() => {
    clearTimeout(hardStop);
    process.exit(code);
  });
}

/** What a signal does, for other reasons to stop (the process that started this one is gone). */
export function requestShutdown(code: number): void {
  installExitHooks();
  shutdown(code);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // Kept installed after the first signal: a second Ctrl-C or SIGTERM (impatient user, a
    // supervisor's retry) must not take the default action, which would exit with no 'exit' event
    // and so orphan the children. It exits at once instead; the 'exit' hook SIGKILLs them.
    process.on(signal, () => shutdown(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143));
  }
}
