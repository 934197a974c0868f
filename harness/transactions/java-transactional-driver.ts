import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { packageRoot } from '../package-root';
import { writePidFile } from '../process/pid-file';
import { signalGroup } from '../process/process-liveness';
import { javaDriverCommandFor } from '../provision/compile-java-driver';
import type { ProducerSettings } from '../clients/producer-under-test';
import type { CallOutcome } from './transactional-producer';
import { onJsonLines } from '../process/json-lines';

/** The driver's source (beside the producer and consumer drivers); its hash names the compiled folder. */
export const JAVA_TRANSACTIONAL_DRIVER_SOURCE = path.join(packageRoot(), 'java', 'KchaosTransactionalDriver.java');
/** The class name, also the reaper's marker in the command line. */
const DRIVER_CLASS = 'KchaosTransactionalDriver';
/** One scenario's producer (and copier consumer): a fast start matters more than peak speed, as for the other drivers. */
const JVM_FLAGS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
/** A JVM start under load plus the producer's construction. @default 90000 */
const READY_TIMEOUT_MS = 90_000;

/** The java command line of the driver, compiled on first use into `<cache>/java-txn-driver-<version>-<hash>/`. */
export function javaTransactionalCommand(kafkaVersion?: string): Promise<{ command: string; args: string[] }> {
  return javaDriverCommandFor({ source: JAVA_TRANSACTIONAL_DRIVER_SOURCE, folder: 'java-txn-driver', what: 'the Java transactional driver' }, JVM_FLAGS, kafkaVersion);
}

/** The init request (docs/transactional-protocol.md); `input` makes the driver a copier's consumer too. */
export interface JavaTransactionalInit {
  bootstrap: string;
  topic: string;
  settings: ProducerSettings;
  transactionalId: string;
  transactionTimeoutMs: number;
  input?: { topic: string; groupId: string; partitions: number };
}

export interface JavaLaunchOptions {
  /**
   * true (the harness): its own process group and a pid file, so the reaper finds it after a crash.
   * false (inside the copier's child): the copier's group, so SIGKILL / SIGSTOP of the copier reach the JVM too.
   */
  ownGroup: boolean;
  /** 'inherit': stderr to this process's stderr (the copier's log); 'tail': the last lines kept for errors. */
  stderr: 'inherit' | 'tail';
}

/** A call's answer read as a CallOutcome; anything malformed is a fatal failure naming the line. */
export function parseCallResult(raw: Record<string, unknown>): CallOutcome {
  if (raw.ok === true) return { ok: true };
  const error = typeof raw.error === 'string' ? raw.error : `malformed answer from the Java driver: ${JSON.stringify(raw)}`;
  if (raw.ok !== false) return { ok: false, error, retriable: false, abortable: false, fatal: true };
  return { ok: false, error, retriable: raw.retriable === true, abortable: raw.abortable === true, fatal: raw.fatal === true };
}

type Answer = Record<string, unknown>;

/**
 * One running KchaosTransactionalDriver: requests with an id, answers matched by id. When the JVM
 * exits, every outstanding request is answered `{ ok: false, gone: true }` — no promise hangs.
 */
export class JavaTransactionalDriver {
  private readonly pending = new Map<number, (answer: Answer) => void>();
  private nextId = 1;
  private gone = false;
  private stderrTail: string[] = [];
  readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly pidFile: string | undefined,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Spawns the JVM, sends init, resolves once it answers `ready`; a failure names the driver's last stderr lines. */
  static async start(init: JavaTransactionalInit, options: JavaLaunchOptions, kafkaVersion?: string): Promise<JavaTransactionalDriver> {
    const { command, args } = await javaTransactionalCommand(kafkaVersion);
    const child = spawn(command, args, { detached: options.ownGroup, stdio: ['pipe', 'pipe', options.stderr === 'inherit' ? 'inherit' : 'pipe'] }) as ChildProcessWithoutNullStreams;
    if (child.pid === undefined) throw new Error('could not start the Java transactional driver (java not runnable?)');
    const pidFile = options.ownGroup
      ? writePidFile({ pid: child.pid, ownerPid: process.pid, name: 'java transactional driver', marker: DRIVER_CLASS, startedAt: new Date().toISOString() })
      : undefined;
    const driver = new JavaTransactionalDriver(child, pidFile);
    driver.wire();
    const ready = new Promise<void>((resolve, reject) => {
      driver.pending.set(0, (answer) => (answer.type === 'ready' ? resolve() : reject(new Error(`the Java transactional driver did not start: ${String(answer.error ?? 'exited')}${driver.tail()}`))));
      setTimeout(() => reject(new Error(`the Java transactional driver was not ready within ${READY_TIMEOUT_MS} ms${driver.tail()}`)), READY_TIMEOUT_MS).unref();
    });
    driver.write({ type: 'init', ...init });
    try {
      await ready;
    } catch (error) {
      await driver.kill();
      throw error;
    }
    return driver;
  }

  private wire(): void {
    this.child.stdin.on('error', () => {});
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.stderrTail = this.stderrTail.slice(-15);
    });
    const notAnAnswer = (line: string) => process.stderr.write(`[kchaos: not a Java driver answer] ${line}\n`);
    onJsonLines<Answer>(this.child.stdout, (answer) => {
      // ready / error (start) answer request 0; every later answer carries its request's id.
      const id = answer.type === 'ready' || answer.type === 'error' ? 0 : typeof answer.id === 'number' ? answer.id : -1;
      const done = this.pending.get(id);
      this.pending.delete(id);
      done?.(answer);
    }, notAnAnswer);
    this.child.once('exit', (code, signal) => {
      this.gone = true;
      if (this.pidFile) fs.rmSync(this.pidFile, { force: true });
      for (const [id, done] of [...this.pending]) {
        this.pending.delete(id);
        done({ type: 'error', ok: false, gone: true, error: `the Java driver exited (${code ?? signal})${this.tail()}` });
      }
    });
  }

  private tail(): string {
    return this.stderrTail.length > 0 ? `; its last stderr lines: ${this.stderrTail.slice(-5).join(' | ')}` : '';
  }

  private write(request: object): void {
    if (!this.gone) this.child.stdin.write(`${JSON.stringify(request)}\n`);
  }

  /** One request; resolves with its answer (or a `gone` failure if the JVM exits first). */
  request(request: { type: string } & Record<string, unknown>): Promise<Answer> {
    if (this.gone) return Promise.resolve({ ok: false, gone: true, error: `the Java driver has exited${this.tail()}` });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.write({ ...request, id });
    });
  }

  async call(name: 'init' | 'begin' | 'commit' | 'abort' | 'offsets', extra: Record<string, unknown> = {}): Promise<CallOutcome> {
    return parseCallResult(await this.request({ type: 'call', call: name, ...extra }));
  }

  /** The driver's own close (bounded by timeoutMs), then SIGKILL if it overruns by 3 s. */
  async close(timeoutMs: number): Promise<void> {
    if (this.gone) return;
    this.write({ type: 'close', timeoutMs });
    const timer = setTimeout(() => void this.kill(), timeoutMs + 3_000);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (this.gone || this.child.pid === undefined) return;
    if (this.pidFile) signalGroup(this.child.pid, 'SIGKILL');
    else this.child.kill('SIGKILL');
    await this.exited;
  }
}
