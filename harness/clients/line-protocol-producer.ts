import fs from 'node:fs';
import path from 'node:path';
import { spawn, ChildProcessWithoutNullStreams } from 'node:child_process';
import { HarnessError } from '../errors';
import { onShutdown } from '../process/child-processes';
import { onJsonLines } from '../process/json-lines';
import { writePidFile } from '../process/pid-file';
import { signalGroup } from '../process/process-liveness';
import { OutgoingMessage, ProducerFactory, ProducerSettings, ProducerUnderTest, SendOutcome } from './producer-under-test';

/**
 * A producer under test that runs as a child process speaking the JSON-lines protocol of
 * docs/producer-protocol.md (the Java driver; any user-supplied producer in another language).
 *
 * Harness side, as implemented here:
 * - The child is spawned with an argument array (no shell) as the leader of its own process group,
 *   recorded in a pid file (the reaper kills it after a harness crash), and SIGKILLed with its group
 *   when the harness exits or is stopped by a signal.
 * - connect() writes `init` and waits for `ready`; `error`, an exit or a timeout reject it with the
 *   tail of the child's stderr.
 * - Every send() gets its own id; any number may be outstanding; results are matched by id, in any
 *   order. If the child dies, every outstanding send resolves as unknown (`definite: false`): the
 *   child may have handed the messages to its client. A send after the child is gone, or after
 *   close(), resolves as definitely not written: the child never saw it.
 * - close(timeoutMs) writes `close` with that budget, waits for `closed` and the exit, and kills
 *   the group once timeoutMs + closeGraceMs have passed. Sends still outstanding then are unknown.
 *
 * Child side, beyond the protocol document: stdout carries protocol lines only (a line that is not
 * a JSON object is logged and ignored); diagnostics go to stderr; when stdin ends the harness is
 * gone, so the child should exit promptly.
 */

/** How long connect() waits for `ready` after the spawn (a JVM start plus metadata). @default 60000 */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;
/** close() kills the process group this long after the close budget it gave the child. @default 2000 */
export const DEFAULT_CLOSE_GRACE_MS = 2_000;
/** How much of the child's stderr is kept in memory for error messages. @default 65536 */
const STDERR_TAIL_BYTES = 64 * 1024;
/** Lines of stderr quoted in a connect error. @default 20 */
const STDERR_TAIL_LINES = 20;
/** After the child exits, how long its last stdout lines may take to arrive. @default 2000 */
const STDOUT_DRAIN_MS = 2_000;
/** How long a child that answered `closed` gets to exit before its group is killed. @default 1000 */
const EXIT_AFTER_CLOSED_MS = 1_000;

/** What to run. */
export interface LineProtocolCommand {
  command: string;
  args: string[];
}

export interface LineProtocolOptions {
  /** The client name results and errors use, e.g. 'java' or 'python-confluent'. */
  client: string;
  /** The child's environment. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** File the child's stderr (and stray stdout lines) is appended to. @default none: only a tail is kept in memory */
  logFile?: string;
  /** @default DEFAULT_READY_TIMEOUT_MS (60000) */
  readyTimeoutMs?: number;
  /** @default DEFAULT_CLOSE_GRACE_MS (2000) */
  closeGraceMs?: number;
  /** A string in the child's command line, so the reaper never kills a recycled pid. @default the last argument, else the command */
  marker?: string;
}

/** Protocol messages the harness writes (docs/producer-protocol.md). */
type Request =
  | { type: 'init'; bootstrap: string; topic: string; settings: ProducerSettings }
  | { type: 'send'; id: number; messages: Array<{ seq: number; key: string | null; partition: number | null; value: string }> }
  | { type: 'close'; timeoutMs: number };

interface PendingSend {
  messages: OutgoingMessage[];
  resolve: (outcomes: SendOutcome[]) => void;
}

/** Children alive in this process, killed (whole group) when it exits. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGKILL');
    });
  }
  liveGroups.add(pid);
}

const unknown = (message: OutgoingMessage, error: string): SendOutcome => ({ ok: false, definite: false, error, partition: message.partition });
const notSent = (message: OutgoingMessage, error: string): SendOutcome => ({ ok: false, definite: true, error, partition: message.partition });

/** A partition or offset as the protocol allows it on an ok: a non-negative integer, or unknown (null, -1 or absent). */
function isPositionOrUnknown(value: unknown): boolean {
  return value === undefined || value === null || value === -1 || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
}

/** One outcome as the child wrote it, checked; anything malformed becomes unknown. */
function parseOutcome(raw: unknown, message: OutgoingMessage): SendOutcome {
  const o = raw as Record<string, unknown> | null;
  const partition = typeof o?.partition === 'number' && Number.isInteger(o.partition) && o.partition >= 0 ? o.partition : null;
  if (o?.ok === true) {
    // An unknown offset or partition is null; -1 (how many clients say "unknown") and a missing
    // field mean the same. Anything else there is malformed: the write is kept as unknown, not guessed.
    if (!isPositionOrUnknown(o.partition)) return unknown(message, `malformed outcome from the producer (partition ${JSON.stringify(o.partition)}): ${JSON.stringify(raw)}`);
    if (!isPositionOrUnknown(o.offset)) return unknown(message, `malformed outcome from the producer (offset ${JSON.stringify(o.offset)}): ${JSON.stringify(raw)}`);
    const offset = typeof o.offset === 'number' && o.offset >= 0 ? o.offset : null;
    return { ok: true, partition: partition ?? message.partition, offset };
  }
  if (o?.ok === false) {
    return { ok: false, definite: o.definite === true, error: typeof o.error === 'string' ? o.error : 'failed (no error text)', partition: partition ?? message.partition };
  }
  return unknown(message, `malformed outcome from the producer: ${JSON.stringify(raw)}`);
}

/**
 * A ProducerUnderTest over a child process. `launch` runs at connect(), before the spawn, so it may
 * prepare what it needs first (the Java producer compiles its driver there).
 */
export function lineProtocolProducer(
  launch: () => Promise<LineProtocolCommand> | LineProtocolCommand,
  bootstrap: string,
  topic: string,
  settings: ProducerSettings,
  options: LineProtocolOptions,
): ProducerUnderTest {
  const { client } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const pending = new Map<number, PendingSend>();
  let nextId = 1;
  let child: ChildProcessWithoutNullStreams | undefined;
  let pid: number | undefined;
  let gone = false; // the child has exited
  let exitDescription: string | undefined; // set once its last stdout lines are read
  let exited: Promise<void> = Promise.resolve();
  let ready = false;
  let closing: Promise<void> | undefined;
  let stderrTail = '';
  let log: fs.WriteStream | undefined;
  const onReady: Array<(error?: Error) => void> = [];
  let onClosed: (() => void) | undefined;

  const appendLog = (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_BYTES);
    log?.write(text);
  };
  const tail = () => stderrTail.trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
  let reportedError: string | undefined;
  const failConnect = (error: Error) => onReady.splice(0).forEach((settle) => settle(error));

  const write = (request: Request) => {
    if (!child || gone || !child.stdin.writable) return false;
    child.stdin.write(`${JSON.stringify(request)}\n`);
    return true;
  };

  const settleAll = (error: string) => {
    for (const [id, entry] of [...pending]) {
      pending.delete(id);
      entry.resolve(entry.messages.map((m) => unknown(m, error)));
    }
  };

  const notAMessage = (line: string) => appendLog(`[kchaos: stdout line that is not a protocol message] ${line}\n`);
  const handleMessage = (message: Record<string, unknown>) => {
    switch (message.type) {
      case 'ready':
        ready = true;
        onReady.splice(0).forEach((settle) => settle());
        return;
      case 'error':
        appendLog(`[kchaos: the producer reported an error] ${String(message.error)}\n`);
        // The producer exits after an error; its last stderr lines may still be in the pipe, so the
        // hint is built at exit (or after a short wait), not now.
        reportedError = String(message.error);
        setTimeout(() => failConnect(new HarnessError(`${client} producer could not start: ${reportedError}`, { hint: stderrHint() })), STDOUT_DRAIN_MS).unref();
        return;
      case 'result': {
        const entry = typeof message.id === 'number' ? pending.get(message.id) : undefined;
        if (!entry) {
          appendLog(`[kchaos: result for an unknown id] ${JSON.stringify(message)}\n`);
          return;
        }
        pending.delete(message.id as number);
        const outcomes = Array.isArray(message.outcomes) ? message.outcomes : [];
        entry.resolve(entry.messages.map((m, i) => (i < outcomes.length ? parseOutcome(outcomes[i], m) : unknown(m, `the producer's result held ${outcomes.length} outcomes for ${entry.messages.length} messages`))));
        return;
      }
      case 'closed':
        onClosed?.();
        return;
      default:
        appendLog(`[kchaos: unknown message type] ${JSON.stringify(message)}\n`);
    }
  };

  const stderrHint = () => {
    const text = tail();
    return text ? `the producer's stderr ends with:\n${text}` : 'the producer wrote nothing to stderr';
  };

  const start = async () => {
    const { command, args } = await launch();
    if (options.logFile) {
      fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
      log = fs.createWriteStream(options.logFile, { flags: 'a' });
    }
    const spawned = spawn(command, args, { env: options.env ?? process.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    child = spawned;
    const spawnError = new Promise<Error>((resolve) => spawned.once('error', resolve));
    if (spawned.pid === undefined) {
      const error = await spawnError;
      gone = true;
      exitDescription = `could not start (${error.message})`;
      throw new HarnessError(`${client} producer: could not run ${command}: ${error.message}`, { cause: error, hint: `check that ${command} is installed and on PATH` });
    }
    pid = spawned.pid;
    const childPid = pid;
    trackGroup(childPid);
    const pidFile = writePidFile({
      pid: childPid,
      ownerPid: process.pid,
      name: `producer-${client}`,
      marker: options.marker ?? (args.length > 0 ? args[args.length - 1] : command),
      startedAt: new Date().toISOString(),
    });
    const removeShutdownHook = onShutdown(async () => signalGroup(childPid, 'SIGKILL'));

    spawned.stdin.on('error', (error) => appendLog(`[kchaos: writing to the producer failed] ${error.message}\n`));
    spawned.stderr.on('data', (chunk: Buffer) => appendLog(chunk.toString()));
    const stderrDone = new Promise<void>((resolve) => spawned.stderr.once('close', () => resolve()));
    const stdoutDone = new Promise<void>((resolve) => {
      onJsonLines(spawned.stdout, handleMessage, notAMessage).on('close', resolve);
    });
    exited = new Promise<void>((resolve) => {
      spawned.once('exit', (code, signal) => {
        gone = true;
        signalGroup(childPid, 'SIGKILL'); // anything the leader left behind in its group (it may hold the pipes)
        liveGroups.delete(childPid);
        removeShutdownHook();
        fs.rmSync(pidFile, { force: true });
        // Results and stderr written just before the exit are still in the pipes: read them before settling.
        const drained = new Promise<void>((done) => setTimeout(done, STDOUT_DRAIN_MS).unref());
        void Promise.race([Promise.all([stdoutDone, stderrDone]), drained]).then(() => {
          exitDescription = signal ? `signal ${signal}` : `code ${code}`;
          settleAll(`producer process exited (${exitDescription})`);
          const why = reportedError === undefined ? `exited (${exitDescription}) before it was ready` : `could not start: ${reportedError}`;
          failConnect(new HarnessError(`${client} producer ${why}`, { hint: stderrHint() }));
          log?.end();
          resolve();
        });
      });
    });
  };

  const underTest: ProducerUnderTest = {
    client,

    async connect() {
      if (child) throw new HarnessError(`${client} producer: connect() called twice`);
      await start();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          failConnect(new HarnessError(`${client} producer was not ready within ${readyTimeoutMs} ms`, { hint: stderrHint() }));
        }, readyTimeoutMs);
        onReady.push((error) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        });
        write({ type: 'init', bootstrap, topic, settings });
      }).catch(async (error) => {
        if (pid !== undefined && !gone) signalGroup(pid, 'SIGKILL');
        await exited;
        throw error;
      });
    },

    send(messages) {
      if (messages.length === 0) return Promise.resolve([]);
      const refusal = closing ? 'producer closed: not sent' : !ready ? 'producer not connected: not sent' : exitDescription !== undefined ? `producer process exited (${exitDescription}) before the send: not sent` : undefined;
      if (refusal) return Promise.resolve(messages.map((m) => notSent(m, refusal)));
      const id = nextId++;
      return new Promise<SendOutcome[]>((resolve) => {
        pending.set(id, { messages, resolve });
        const written = write({
          type: 'send',
          id,
          messages: messages.map((m) => ({ seq: m.seq, key: m.key, partition: m.partition, value: m.value.toString('base64') })),
        });
        if (!written) {
          pending.delete(id);
          resolve(messages.map((m) => notSent(m, 'producer process is gone: not sent')));
        }
      });
    },

    close(timeoutMs) {
      closing ??= (async () => {
        if (!child || pid === undefined) return;
        const groupPid = pid;
        const timers: NodeJS.Timeout[] = [];
        const after = (ms: number) => new Promise<void>((resolve) => timers.push(setTimeout(resolve, ms)));
        const closed = new Promise<void>((resolve) => {
          onClosed = resolve;
        });
        if (write({ type: 'close', timeoutMs })) child.stdin.end();
        // The exit normally follows `closed` at once; past the deadline, or a moment after a
        // `closed` without an exit, the group is killed.
        await Promise.race([exited, after(timeoutMs + closeGraceMs), closed.then(() => after(Math.min(closeGraceMs, EXIT_AFTER_CLOSED_MS)))]);
        timers.forEach(clearTimeout);
        if (!gone) {
          appendLog(`[kchaos: the producer did not exit within ${timeoutMs + closeGraceMs} ms of close; killing its process group]\n`);
          signalGroup(groupPid, 'SIGKILL');
        }
        await exited;
        settleAll('closed before a result');
      })();
      return closing;
    },
  };
  return underTest;
}

/**
 * The ProducerFactory for a fixed command line, e.g. a user's Python producer:
 * `createLineProtocolProducer('python3', ['my_producer.py'], { client: 'python' })`.
 */
export function createLineProtocolProducer(command: string, args: string[], options: LineProtocolOptions): ProducerFactory {
  return (bootstrap, topic, settings) => lineProtocolProducer(() => ({ command, args }), bootstrap, topic, settings, options);
}
