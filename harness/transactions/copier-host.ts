import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { HistoryRecorder } from '../history/history-recorder';
import { writePidFile } from '../process/pid-file';
import { isAlive, signalGroup } from '../process/process-liveness';
import type { CopierChildConfig } from './copier-child';
import type { CopierEvent } from './copier-events';
import { onJsonLines } from '../process/json-lines';

/** A marker in the child's command line, so the reaper never kills a recycled pid. */
export const COPIER_CHILD_MARKER = 'copier-child';
/** How long start() waits for `ready` (a tsx start, connect, InitProducerId retried by the loop). @default 60000 */
const READY_TIMEOUT_MS = 60_000;

/** node + the child script (the compiled .js as is, the .ts source through tsx's loader). */
function childCommand(): { command: string; args: string[] } {
  const js = path.join(__dirname, 'copier-child.js');
  if (fs.existsSync(js)) return { command: process.execPath, args: [js] };
  const loader = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return { command: process.execPath, args: ['--import', pathToFileURL(loader).href, path.join(__dirname, 'copier-child.ts')] };
}

/** Seqs whose copying transaction the copier saw committed, over every incarnation: the harness's "copy done". */
export class CopyProgress {
  readonly committedSeqs = new Set<number>();
  private readonly seqsOfTxn = new Map<number, number[]>();
  onOp(event: Extract<CopierEvent, { e: 'op' }>): void {
    if (event.f !== 'txn-commit' || event.value.txn === undefined) return;
    if (event.type === 'invoke') this.seqsOfTxn.set(event.value.txn, event.value.seqs ?? []);
    if (event.type === 'ok') for (const seq of this.seqsOfTxn.get(event.value.txn) ?? []) this.committedSeqs.add(seq);
  }
}

/**
 * One copier incarnation ("copier-1", "copier-2" after a restart) in a child process, its events
 * recorded as they arrive under its own process name.
 */
export class HostedCopier {
  private child?: ChildProcessWithoutNullStreams;
  private pidFile?: string;
  private exitCode: number | string | null | undefined;
  readonly exited: Promise<number | string | null>;
  private markExited!: (code: number | string | null) => void;
  private readyResolve?: () => void;
  private readyReject?: (error: Error) => void;
  /** Every event after `since` (harness ms): the zombie's late calls are read from here. */
  readonly ops: Array<{ atMs: number; event: Extract<CopierEvent, { e: 'op' }> }> = [];

  constructor(
    readonly id: string,
    private readonly config: CopierChildConfig,
    private readonly recorder: HistoryRecorder,
    private readonly progress: CopyProgress,
    private readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  get alive(): boolean {
    return this.child !== undefined && this.exitCode === undefined;
  }

  /** Spawns the child; resolves once it is initialised (`ready`), rejects if it exits or overruns first. */
  async start(): Promise<void> {
    const { command, args } = childCommand();
    this.recorder.record(this.id, 'info', 'start', { copier: this.id, client: this.config.client, txnBase: this.config.loop.txnBase });
    const child = spawn(command, [...args, JSON.stringify(this.config), COPIER_CHILD_MARKER], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    if (child.pid === undefined) throw new Error(`could not start the copier child ${this.id}`);
    this.pidFile = writePidFile({ pid: child.pid, ownerPid: process.pid, name: `copier ${this.id}`, marker: COPIER_CHILD_MARKER, startedAt: new Date().toISOString() });
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
    child.stdin.on('error', () => {});
    child.once('exit', (code, signal) => {
      this.exitCode = code ?? signal;
      log.end(`[kchaos: ${this.id} exited ${code ?? signal}]\n`);
      if (this.pidFile) fs.rmSync(this.pidFile, { force: true });
      this.readyReject?.(new Error(`${this.id} exited (${code ?? signal}) before it was ready; see ${this.logFile}`));
      this.markExited(this.exitCode);
    });
    const notAnEvent = (line: string) => log.write(`[kchaos: not a copier event] ${line}\n`);
    onJsonLines<CopierEvent>(child.stdout, (event) => {
      if (event.e === 'ready') this.readyResolve?.();
      if (event.e === 'error') log.write(`${new Date().toISOString()} ${this.id}: ${event.message}\n`);
      if (event.e === 'op') {
        this.recorder.record(this.id, event.type, event.f, event.value);
        this.ops.push({ atMs: this.recorder.now(), event });
        this.progress.onOp(event);
      }
    }, notAnEvent);
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.readyResolve = resolve;
        this.readyReject = reject;
        timer = setTimeout(() => reject(new Error(`${this.id} was not ready within ${READY_TIMEOUT_MS} ms; see ${this.logFile}`)), READY_TIMEOUT_MS);
      });
    } finally {
      clearTimeout(timer);
      this.readyResolve = this.readyReject = undefined;
    }
  }

  /** A signal to the child's process group, recorded first (SIGKILL: the crash; SIGSTOP / SIGCONT: the zombie's pause). */
  signal(signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): void {
    if (!this.alive || !this.child?.pid) return;
    this.recorder.record(this.id, 'info', 'crash', { copier: this.id, signal });
    signalGroup(this.child.pid, signal);
  }

  /** The copier's own close (stdin), SIGKILL if it overruns. */
  async close(timeoutMs: number): Promise<void> {
    if (!this.alive || !this.child?.pid) return;
    this.child.stdin.end(`${JSON.stringify({ cmd: 'close' })}\n`);
    const pid = this.child.pid;
    const timer = setTimeout(() => isAlive(pid) && signalGroup(pid, 'SIGKILL'), timeoutMs + 3_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Last resort at the end of a run: nothing of ours outlives it. */
  async kill(): Promise<void> {
    if (!this.alive || !this.child?.pid) return;
    signalGroup(this.child.pid, 'SIGKILL');
    await this.exited;
  }
}
