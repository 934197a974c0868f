import { OutgoingMessage, ProducerUnderTest, SendOutcome } from '../clients/producer-under-test';
import { HistoryRecorder } from '../history/history-recorder';
import { PartitionStrategy, Placement, WorkaroundSettings } from '../strategies/partition-strategy';
import { AttemptsInFlight } from './attempts-in-flight';

export interface WorkloadSettings {
  /** Messages (distinct seqs) to send. @default 300 */
  messages: number;
  /** Target send rate in messages per second; null sends as fast as concurrency allows. @default 100 */
  ratePerSec: number | null;
  /** Messages awaiting an outcome at once, resends included. @default 256 */
  concurrency: number;
  /** Value size in bytes (the JSON seq header plus padding). @default 100 */
  payloadBytes: number;
  /** After this many ms from the start, outcomes still outstanding are recorded as `info`. @default 35000 */
  drainDeadlineMs: number;
}

export const DEFAULT_WORKLOAD: WorkloadSettings = {
  messages: 300,
  ratePerSec: 100,
  concurrency: 256,
  payloadBytes: 100,
  drainDeadlineMs: 35_000,
};

export const PRODUCER_PROCESS = 'p1';

/** The message value: a JSON header with the seq (the verifier reads it back), padded to size. */
export function encodeValue(seq: number, attempt: number, payloadBytes: number): Buffer {
  const header = JSON.stringify({ seq, attempt });
  const padding = Math.max(0, payloadBytes - header.length - 8);
  return Buffer.from(padding > 0 ? `${header.slice(0, -1)},"p":"${'x'.repeat(padding)}"}` : header);
}

/** A counting semaphore: `acquire` waits while `limit` holders are out; `idle` waits until none is. */
class Slots {
  private used = 0;
  private waiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  /** Takes a slot if one is free, without waiting (and without a promise). */
  tryAcquire(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }
  async acquire(): Promise<void> {
    if (this.tryAcquire()) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) return next(); // the slot passes to the waiter
    this.used--;
    if (this.used === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }
  idle(): Promise<void> {
    return this.used === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/** A send that threw instead of resolving: the outcome is unknown (it may have been handed over). */
const clientThrew = (m: Pick<OutgoingMessage, 'partition'>, error: unknown): SendOutcome => ({ ok: false, definite: false, error: `the client threw: ${String(error)}`, partition: m.partition });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface WorkloadResult {
  /** Attempts the harness settled as info at the drain deadline (their own outcomes may still come, late). */
  outstandingAtDeadline: number;
  sendsMs: number;
  /** Resolves once every attempt handed to the client has the client's own outcome in the history. */
  clientOutcomes: Promise<void>;
  /** Attempts still waiting for the client's own outcome. */
  awaitingClient(): number;
}

export interface WorkloadOptions {
  messagesPerSend: number;
  leaderOf: (partition: number) => number | undefined;
  /**
   * The application's own deadline per send (a scenario's choice, named in its results): after it
   * the attempt is recorded as info and the strategy goes on; the client's own outcome is still
   * recorded when it comes, flagged late. null waits for the client. @default null
   */
  appDeadlineMs?: number | null;
  /**
   * Called once every seq's first attempt is in the client's hands: what is left is the client's
   * own timeouts and the workaround's resends (lanes stop counting the scenario as sending).
   */
  onAllHandedOver?: () => void;
}

/** An attempt handed to the client: `token` finds it in the attempts in flight. */
type Invoked = OutgoingMessage & { token: number };

/**
 * Sends `messages` seqs through `producer`, placed by `strategy`, recording every attempt as an
 * invoke followed by ok / fail / info. Workaround resends are further attempts of the same seq.
 * The outcome is the client's: the harness stops waiting only at the drain deadline (or the
 * scenario's appDeadlineMs), records info then, and still records the client's outcome when it
 * comes, flagged `late`. No attempt starts after the drain deadline.
 */
export async function runWorkload(
  producer: ProducerUnderTest,
  strategy: PartitionStrategy,
  recorder: HistoryRecorder,
  settings: WorkloadSettings,
  workaround: WorkaroundSettings,
  options: WorkloadOptions,
): Promise<WorkloadResult> {
  const slots = new Slots(settings.concurrency);
  const attempts = new AttemptsInFlight(); // until the client's outcome
  let allAnswered: (() => void) | undefined; // set once the workload returns: resolves clientOutcomes
  const appDeadlineMs = options.appDeadlineMs ?? null;
  const startMs = recorder.now();
  let stopped = false; // the drain deadline passed: no new attempt

  const invoke = (seq: number, attempt: number, placement: Placement): Invoked => {
    const index = recorder.recordSendInvoke(PRODUCER_PROCESS, seq, placement.key, placement.partition, attempt);
    const token = attempts.add(index, seq, attempt, placement, recorder.lastTimeMs);
    return { seq, key: placement.key, partition: placement.partition, value: encodeValue(seq, attempt, settings.payloadBytes), token };
  };

  /** Records the client's own outcome; after a deadline's info it is flagged late. */
  const complete = (token: number, outcome: SendOutcome) => {
    const slot = attempts.slotOf(token);
    if (slot < 0) return;
    const seq = attempts.seq(slot);
    const attempt = attempts.attempt(slot);
    const late = attempts.settledAsInfo(slot);
    attempts.remove(token);
    if (attempts.size === 0) allAnswered?.();
    if (outcome.ok) {
      recorder.recordSendOk(PRODUCER_PROCESS, seq, attempt, outcome.partition, outcome.offset, late);
    } else {
      const flags = late ? { late: true as const } : undefined;
      const leader = outcome.partition === null ? null : (options.leaderOf(outcome.partition) ?? null);
      const tried = outcome.tried && outcome.tried.length > 1 ? { tried: outcome.tried } : {};
      recorder.record(PRODUCER_PROCESS, outcome.definite ? 'fail' : 'info', 'send', { seq, attempt, partition: outcome.partition, error: outcome.error, leader, ...tried }, flags);
    }
  };

  /** The harness stops waiting for an attempt: info now, the client's outcome later (late). */
  const settleAsInfo = (token: number, error: string) => {
    const slot = attempts.slotOf(token);
    if (slot < 0 || attempts.settledAsInfo(slot)) return;
    attempts.markSettledAsInfo(slot);
    recorder.record(PRODUCER_PROCESS, 'info', 'send', { seq: attempts.seq(slot), attempt: attempts.attempt(slot), partition: attempts.placement(slot).partition, error });
  };

  /** Hands messages to the client; with an application deadline, gives up waiting after it. */
  const attemptSend = (messages: Invoked[]): Promise<SendOutcome[]> => {
    const own = Promise.resolve()
      .then(() => producer.send(messages))
      .catch((error: unknown) => messages.map((m) => clientThrew(m, error)))
      .then((outcomes) => {
        messages.forEach((m, i) => complete(m.token, outcomes[i]));
        return outcomes;
      });
    if (appDeadlineMs === null) return own;
    return new Promise((resolve) => {
      const error = `no outcome within the application deadline appDeadlineMs ${appDeadlineMs} (the scenario's choice)`;
      const timer = setTimeout(() => {
        messages.forEach((m) => settleAsInfo(m.token, error));
        resolve(messages.map((m) => ({ ok: false, definite: false, error, partition: m.partition })));
      }, appDeadlineMs);
      void own.then((outcomes) => {
        clearTimeout(timer);
        resolve(outcomes);
      });
    });
  };

  /** Resends one seq per the strategy until it is acked, the workaround's bounds are reached, or the drain deadline passes. */
  const retryLoop = async (seq: number, placement: Placement, outcome: SendOutcome, firstAtMs: number) => {
    let attempt = 1;
    while (!outcome.ok && !stopped) {
      attempt++;
      const elapsedMs = recorder.now() - firstAtMs;
      if (attempt > workaround.maxAttempts || elapsedMs > workaround.deadlineMs) return;
      const next = strategy.retry(seq, attempt, placement, outcome);
      if (!next) return;
      placement = next;
      [outcome] = await attemptSend([invoke(seq, attempt, placement)]);
    }
  };

  /**
   * The outcome of a single send (below): recorded once, then the slot is freed or the strategy's
   * retry loop starts. One function for every message: the attempt's own state is in `attempts`.
   */
  const onSingleOutcome = (token: number, outcome: SendOutcome): void => {
    const slot = attempts.slotOf(token);
    if (slot < 0) return; // answered already: one outcome per attempt, even from a client that answers twice
    const seq = attempts.seq(slot);
    const placement = attempts.placement(slot);
    const invokedAtMs = attempts.invokedAtMs(slot);
    try {
      complete(token, outcome);
    } catch {
      return release();
    }
    if (outcome.ok) return release();
    // A single send's attempt is the seq's first: the workaround's deadline counts from it.
    retryLoop(seq, placement, outcome, invokedAtMs).then(release, release);
  };

  /**
   * sendGroup for one message per send and no application deadline (full speed's node-rdkafka and
   * Confluent): the same ops and calls, but through the client's callback form when it has one,
   * with no promise and no closure per message, so that what stays alive per message in flight is
   * close to what the bare client keeps. Frees its slot when done, whatever happens.
   */
  const sendSingle = (seq: number): void => {
    try {
      const message = invoke(seq, 1, strategy.first(seq));
      if (!producer.sendEach) return sendSinglePromised(message);
      try {
        producer.sendEach(message, message.token, onSingleOutcome);
      } catch (error) {
        onSingleOutcome(message.token, clientThrew(message, error));
      }
    } catch {
      release();
    }
  };

  /** sendSingle through send(): apart, so that its closures over the message cost the callback form nothing per message. */
  const sendSinglePromised = (message: Invoked): void => {
    const { token, partition } = message;
    let own: Promise<SendOutcome[]>;
    try {
      own = producer.send([message]);
    } catch (error) {
      own = Promise.reject(error);
    }
    own.then((outcomes) => onSingleOutcome(token, outcomes[0]), (error: unknown) => onSingleOutcome(token, clientThrew({ partition }, error)));
  };

  const sendGroup = async (seqs: number[]) => {
    const firstAtMs = recorder.now();
    const placements = seqs.map((seq) => strategy.first(seq));
    const outcomes = await attemptSend(seqs.map((seq, i) => invoke(seq, 1, placements[i])));
    if (outcomes.every((o) => o.ok)) return; // the common case: no retry loops to set up
    await Promise.all(seqs.map((seq, i) => retryLoop(seq, placements[i], outcomes[i], firstAtMs)));
  };

  // The slots count the sends in flight, so no promise per message is kept until the end.
  const release = () => slots.release();
  const group = Math.max(1, options.messagesPerSend);
  const single = group === 1 && appDeadlineMs === null;
  for (let first = 0; first < settings.messages; first += group) {
    if (settings.ratePerSec) await sleep(startMs + (first / settings.ratePerSec) * 1000 - recorder.now());
    if (recorder.now() - startMs > settings.drainDeadlineMs) break;
    if (single) {
      if (!slots.tryAcquire()) await slots.acquire();
      sendSingle(first);
      continue;
    }
    await slots.acquire();
    const seqs = Array.from({ length: Math.min(group, settings.messages - first) }, (_, i) => first + i);
    sendGroup(seqs).then(release, release);
  }
  options.onAllHandedOver?.();
  const allSettled = slots.idle();

  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (deadlineTimer = setTimeout(resolve, Math.max(0, startMs + settings.drainDeadlineMs - recorder.now()))));
  await Promise.race([allSettled, deadline]);
  clearTimeout(deadlineTimer); // a pending 35 s timer would keep the process (and jest) alive
  stopped = true;
  const sendsMs = recorder.now() - startMs;
  let outstandingAtDeadline = 0;
  for (const token of attempts.tokensInOrder()) {
    if (attempts.settledAsInfo(attempts.slotOf(token))) continue;
    outstandingAtDeadline++;
    settleAsInfo(token, 'no outcome before the drain deadline');
  }
  const clientOutcomes = attempts.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (allAnswered = resolve));
  return { outstandingAtDeadline, sendsMs, clientOutcomes, awaitingClient: () => attempts.size };
}
