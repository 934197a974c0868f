import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { HistoryRecorder } from '../history/history-recorder';
import type { OpType } from '../history/history-types';
import { writePidFile } from '../process/pid-file';
import { isAlive, signalGroup } from '../process/process-liveness';
import { COMMAND_CONSUMER_CLIENTS } from './consumer-clients';
import type { ConsumerEvent } from './consumer-events';
import { javaConsumerCommand } from './java-consumer-driver';
import type { ConsumerSettings } from './consumer-under-test';
import { onJsonLines } from '../process/json-lines';

/** A marker in the child's command line, so the reaper never kills a recycled pid. */
export const CONSUMER_CHILD_MARKER = 'consumer-child';
/** How long start waits for the child's `ready` (a tsx start plus the group join request). @default 30000 */
const READY_TIMEOUT_MS = 30_000;
/**
 * The same for a command client (the Java driver's ready is its first assignment) and a team's own
 * command (it may be a JVM too): a JVM start plus the join took over 30 s at load 40 on 2 cores
 * (3 of 5 java controls), so it gets 90 s.
 */
const COMMAND_READY_TIMEOUT_MS = 90_000;

/** What the harness tracks across incarnations to know when consumption is complete. */
export interface ConsumptionProgress {
  /** "partition/offset" of every record processed at least once (an ok). */
  processed: Set<string>;
  /** Highest position a successful commit (app or auto) reached, per partition. */
  committed: Map<number, number>;
}

export function newProgress(): ConsumptionProgress {
  return { processed: new Set(), committed: new Map() };
}

/**
 * The consumer's process: a team's own command (scenario `consumer.command`, client 'custom') as
 * given, the Java driver for java (its own application, speaking the same
 * events), else node + the child script (the compiled .js as is, the .ts source through tsx's loader).
 */
async function childCommand(client: string, own: readonly string[] | null | undefined): Promise<{ command: string; args: string[] }> {
  if (own && own.length > 0) return { command: own[0]!, args: own.slice(1) };
  if ((COMMAND_CONSUMER_CLIENTS as readonly string[]).includes(client)) return javaConsumerCommand();
  const js = path.join(__dirname, 'consumer-child.js');
  if (fs.existsSync(js)) return { command: process.execPath, args: [js] };
  const loader = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return { command: process.execPath, args: ['--import', pathToFileURL(loader).href, path.join(__dirname, 'consumer-child.ts')] };
}

export interface HostedConsumerOptions {
  consumerId: string;
  client: string;
  bootstrap: string;
  topic: string;
  settings: ConsumerSettings;
  recorder: HistoryRecorder;
  progress: ConsumptionProgress;
  /** The child's stderr and its error events go here. */
  logFile: string;
  /** A team's own consumer (client 'custom'): program and arguments; the start JSON is appended. */
  command?: readonly string[] | null;
}

/**
 * One incarnation of the consumer under test ("c1", then "c2" after a crash), hosted in a child
 * process and recorded op by op as its lines arrive (history times are the harness's).
 */
export class HostedConsumer {
  private child?: ChildProcessWithoutNullStreams;
  private pidFile?: string;
  private assignment = 0;
  private readonly openPollIndex: number[] = [];
  private readyResolve?: () => void;
  private readyReject?: (error: Error) => void;
  private exitedPromise?: Promise<void>;
  private dead = false;

  constructor(private readonly options: HostedConsumerOptions) {}

  get id(): string {
    return this.options.consumerId;
  }

  /** Spawns the child; resolves once the library is connected and subscribed (`ready`). */
  async start(): Promise<void> {
    const { consumerId, client, bootstrap, topic, settings, recorder } = this.options;
    const { command, args } = await childCommand(client, this.options.command);
    const config = JSON.stringify({ client, bootstrap, topic, settings, consumerId, marker: CONSUMER_CHILD_MARKER });
    recorder.record(consumerId, 'info', 'start', { consumer: consumerId, assignment: 0, client, mode: settings.mode, api: settings.api });
    const child = spawn(command, [...args, config], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    // A command that does not exist (ENOENT) fails here, named, instead of as an unhandled 'error' event.
    const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`consumer ${consumerId}: cannot start ${JSON.stringify(command)}: ${e.message}; check consumer.command`))));
    spawnError.catch(() => {});
    if (child.pid === undefined) await spawnError;
    if (child.pid === undefined) throw new Error(`could not start the consumer child for ${consumerId}`);
    this.pidFile = writePidFile({ pid: child.pid, ownerPid: process.pid, name: `consumer ${consumerId}`, marker: CONSUMER_CHILD_MARKER, startedAt: new Date().toISOString() });
    const log = fs.createWriteStream(this.options.logFile, { flags: 'a' });
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
    child.stdin.on('error', () => {});
    this.exitedPromise = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        this.dead = true;
        log.end(`[kchaos: consumer ${consumerId} exited ${code ?? signal}]\n`);
        if (this.pidFile) fs.rmSync(this.pidFile, { force: true });
        this.readyReject?.(new Error(`consumer ${consumerId} exited (${code ?? signal}) before it was ready; see ${this.options.logFile}`));
        resolve();
      }),
    );
    onJsonLines<ConsumerEvent>(child.stdout, (event) => {
      if (event.e === 'error') log.write(`${new Date().toISOString()} ${event.message}\n`);
      this.onEvent(event);
    }, (line) => log.write(`[kchaos: not a consumer event] ${line}\n`));
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.readyResolve = resolve;
        this.readyReject = reject;
        const ownProcess = Boolean(this.options.command) || (COMMAND_CONSUMER_CLIENTS as readonly string[]).includes(client);
        const readyTimeoutMs = ownProcess ? COMMAND_READY_TIMEOUT_MS : READY_TIMEOUT_MS;
        timer = setTimeout(() => reject(new Error(`consumer ${consumerId} was not ready within ${readyTimeoutMs} ms; see ${this.options.logFile}`)), readyTimeoutMs);
      });
    } finally {
      clearTimeout(timer);
      this.readyResolve = this.readyReject = undefined;
    }
  }

  /** The crash: SIGKILL to the child's process group, recorded first. */
  async kill(): Promise<void> {
    if (!this.child?.pid || this.dead) return;
    this.options.recorder.record(this.id, 'info', 'crash', { consumer: this.id, assignment: this.assignment, signal: 'SIGKILL' });
    signalGroup(this.child.pid, 'SIGKILL');
    await this.exitedPromise;
  }

  /**
   * Freezes the child's process group (SIGSTOP) for forMs, then SIGCONT: the library's threads stop
   * with it, heartbeats included. Both ends are recorded (freeze, thaw). Resolves after the SIGCONT.
   */
  async freeze(forMs: number): Promise<void> {
    if (!this.child?.pid || this.dead) return;
    this.options.recorder.record(this.id, 'info', 'freeze', { consumer: this.id, assignment: this.assignment, signal: 'SIGSTOP', forMs });
    signalGroup(this.child.pid, 'SIGSTOP');
    try {
      await new Promise((resolve) => setTimeout(resolve, forMs));
    } finally {
      if (!this.dead) signalGroup(this.child.pid, 'SIGCONT');
      this.options.recorder.record(this.id, 'info', 'thaw', { consumer: this.id, assignment: this.assignment, signal: 'SIGCONT' });
    }
  }

  /** The library's graceful close (its final commits are recorded), then the child exits; SIGKILL if it overruns. */
  async close(timeoutMs: number): Promise<void> {
    if (!this.child?.pid || this.dead) return;
    this.child.stdin.write(`${JSON.stringify({ cmd: 'close', timeoutMs })}\n`);
    const timer = setTimeout(() => this.child?.pid && isAlive(this.child.pid) && signalGroup(this.child.pid, 'SIGKILL'), timeoutMs + 3_000);
    await this.exitedPromise;
    clearTimeout(timer);
  }

  private record(type: OpType, f: 'assign' | 'revoke' | 'poll' | 'process' | 'commit', value: Record<string, unknown>): void {
    this.options.recorder.record(this.id, type, f, { consumer: this.id, assignment: this.assignment, ...value });
  }

  private onEvent(event: ConsumerEvent): void {
    const progress = this.options.progress;
    switch (event.e) {
      case 'ready':
        this.readyResolve?.();
        return;
      case 'assigned':
        this.assignment++;
        this.record('info', 'assign', { partitions: event.partitions, generation: event.generation });
        return;
      case 'revoked':
        this.record('info', 'revoke', { partitions: event.partitions, generation: event.generation });
        return;
      case 'poll':
        // The library's fetch is not a call the app makes (kafkajs, librdkafka prefetch): the poll's
        // invoke and ok are recorded together when the batch reaches the application.
        this.record('invoke', 'poll', {});
        this.record('ok', 'poll', { records: event.records.map((r) => ({ partition: r.partition, offset: r.offset, seq: r.seq })) });
        return;
      case 'process':
        if (event.phase === 'ok') progress.processed.add(`${event.record.partition}/${event.record.offset}`);
        this.record(event.phase, 'process', { partition: event.record.partition, offset: event.record.offset, seq: event.record.seq });
        return;
      case 'commit':
        if (event.phase === 'ok') for (const p of event.offsets) progress.committed.set(p.partition, Math.max(progress.committed.get(p.partition) ?? 0, p.offset));
        this.record(event.phase, 'commit', { id: event.id, auto: event.auto, offsets: event.offsets, ...(event.error ? { error: event.error } : {}) });
        return;
      case 'error':
      case 'closed':
        return;
    }
  }
}
