import { OutgoingMessage, ProducerUnderTest, SendOutcome } from '../clients/producer-under-test';
import { HistoryRecorder } from '../history/history-recorder';
import { PartitionStrategy, Placement, WorkaroundSettings } from '../strategies/partition-strategy';

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
  async acquire(): Promise<void> {
    if (this.used < this.limit) {
      this.used++;
      return;
    }
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface WorkloadResult {
  /** Invocations that had no outcome at the drain deadline (recorded as info). */
  outstandingAtDeadline: number;
  sendsMs: number;
}

/**
 * Sends `messages` seqs through `producer`, placed by `strategy`, recording every attempt as an
 * invoke followed by ok / fail / info. Workaround resends are further attempts of the same seq.
 */
export async function runWorkload(
  producer: ProducerUnderTest,
  strategy: PartitionStrategy,
  recorder: HistoryRecorder,
  settings: WorkloadSettings,
  workaround: WorkaroundSettings,
  options: { messagesPerSend: number; leaderOf: (partition: number) => number | undefined },
): Promise<WorkloadResult> {
  const slots = new Slots(settings.concurrency);
  const outstanding = new Map<number, { seq: number; partition: number | null }>(); // by invoke index
  const startMs = recorder.now();

  const invoke = (seq: number, attempt: number, placement: Placement): OutgoingMessage & { index: number } => {
    const op = recorder.record(PRODUCER_PROCESS, 'invoke', 'send', { seq, key: placement.key, partition: placement.partition, attempt });
    outstanding.set(op.index, { seq, partition: placement.partition });
    return { seq, key: placement.key, partition: placement.partition, value: encodeValue(seq, attempt, settings.payloadBytes), index: op.index };
  };

  const complete = (index: number, seq: number, outcome: SendOutcome) => {
    if (!outstanding.delete(index)) return; // already settled as info at the deadline
    if (outcome.ok) {
      recorder.record(PRODUCER_PROCESS, 'ok', 'send', { seq, partition: outcome.partition, offset: outcome.offset });
    } else {
      const leader = outcome.partition === null ? null : (options.leaderOf(outcome.partition) ?? null);
      recorder.record(PRODUCER_PROCESS, outcome.definite ? 'fail' : 'info', 'send', { seq, partition: outcome.partition, error: outcome.error, leader });
    }
  };

  /** Resends one seq per the strategy until it is acked or the workaround's bounds are reached. */
  const retryLoop = async (seq: number, placement: Placement, outcome: SendOutcome, firstAtMs: number) => {
    let attempt = 1;
    while (!outcome.ok) {
      attempt++;
      const elapsedMs = recorder.now() - firstAtMs;
      if (attempt > workaround.maxAttempts || elapsedMs > workaround.deadlineMs) return;
      const next = strategy.retry(seq, attempt, placement, outcome);
      if (!next) return;
      placement = next;
      const message = invoke(seq, attempt, placement);
      [outcome] = await producer.send([message]);
      complete(message.index, seq, outcome);
    }
  };

  const sendGroup = async (seqs: number[]) => {
    const firstAtMs = recorder.now();
    const placements = seqs.map((seq) => strategy.first(seq));
    const messages = seqs.map((seq, i) => invoke(seq, 1, placements[i]));
    const outcomes = await producer.send(messages);
    messages.forEach((m, i) => complete(m.index, m.seq, outcomes[i]));
    if (outcomes.every((o) => o.ok)) return; // the common case: no retry loops to set up
    await Promise.all(seqs.map((seq, i) => retryLoop(seq, placements[i], outcomes[i], firstAtMs)));
  };

  // The slots count the sends in flight, so no promise per message is kept until the end.
  const release = () => slots.release();
  const group = Math.max(1, options.messagesPerSend);
  for (let first = 0; first < settings.messages; first += group) {
    if (settings.ratePerSec) await sleep(startMs + (first / settings.ratePerSec) * 1000 - recorder.now());
    if (recorder.now() - startMs > settings.drainDeadlineMs) break;
    await slots.acquire();
    const seqs = Array.from({ length: Math.min(group, settings.messages - first) }, (_, i) => first + i);
    sendGroup(seqs).then(release, release); // a send that threw leaves its invokes outstanding: recorded as info below
  }
  const allSettled = slots.idle();

  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (deadlineTimer = setTimeout(resolve, Math.max(0, startMs + settings.drainDeadlineMs - recorder.now()))));
  await Promise.race([allSettled, deadline]);
  clearTimeout(deadlineTimer); // a pending 35 s timer would keep the process (and jest) alive
  const sendsMs = recorder.now() - startMs;
  const outstandingAtDeadline = outstanding.size;
  for (const [, pending] of outstanding) {
    recorder.record(PRODUCER_PROCESS, 'info', 'send', { seq: pending.seq, partition: pending.partition, error: 'no outcome before the drain deadline' });
  }
  outstanding.clear();
  return { outstandingAtDeadline, sendsMs };
}
