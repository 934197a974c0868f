import { performance } from 'node:perf_hooks';
import { HarnessError } from '../errors';
import { CLIENTS } from '../clients/clients';
import { DEFAULT_PRODUCER_SETTINGS, ProducerUnderTest, SendOutcome } from '../clients/producer-under-test';
import { CLOSED_BEFORE_REPORT } from '../clients/rdkafka-producer';
import { BacklogEntry, BacklogFile } from './backlog-file';
import { BrokerHealth, BrokerSnapshot, SendTicket } from './broker-health';
import { partitionForKey } from './key-partition';
import { createMetadataSource, MetadataSource, withTimeout } from './metadata-source';
import { PartitionRouter, Route, TopicLeaders } from './partition-router';
import { resolveResilientOptions, ResilientProducerOptions } from './resilient-options';
import { ResilientSendError } from './resilient-send-error';

export { ResilientSendError } from './resilient-send-error';
export type { ResilientProducerOptions, ResilientClient } from './resilient-options';
export type { KeyedPolicy } from './partition-router';

/** Held and waiting work is looked at again this often (cooldowns ending, deadlines). @default 100 */
const PUMP_INTERVAL_MS = 100;
/** Backlog messages in flight at once during a replay. @default 64 */
const REPLAY_CONCURRENCY = 64;
/** While close() drains, an unhealthy broker is probed at least this often. @default 500 */
const DRAIN_PROBE_INTERVAL_MS = 500;
/** Failure-triggered metadata refreshes are at least this far apart. @default 1000 */
const METADATA_MIN_GAP_MS = 1_000;
/** @default 30000 */
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
const CLOSE_POLL_MS = 20;
const CONNECT_RETRY_MS = 200;

/** Errors about the message itself: retrying elsewhere cannot help, and the broker is not to blame. */
const MESSAGE_PROBLEM = /MSG_SIZE_TOO_LARGE|RECORD_LIST_TOO_LARGE|larger than the max message size|INVALID_RECORD|ERR__INVALID_ARG/i;
/** Errors that say nothing about the broker's health (the message's own, or the adapter closing). */
const NOT_THE_BROKER = new RegExp(`${MESSAGE_PROBLEM.source}|producer closed: not sent|producer not connected: not sent|${CLOSED_BEFORE_REPORT}`, 'i');

export interface ResilientMessage {
  /** null / absent: unkeyed (round-robin over healthy partitions). */
  key?: string | null;
  value: Buffer | string;
  /** An explicit partition: the message belongs to it like a keyed message to its key's partition (keyedPolicy decides what happens while its leader is unhealthy). */
  partition?: number | null;
}

export interface ResilientSendResult {
  /** Where it was written; for `backlogged`, the partition it is held for, or null (any). */
  partition: number | null;
  /** Its offset; null when backlogged, or when the client gave none (acks=0). */
  offset: number | null;
  /** 'acked': Kafka acknowledged it. 'backlogged': it is fsynced in the on-disk backlog and will be replayed. */
  via: 'acked' | 'backlogged';
}

export interface ResilientStats {
  /** Messages sent to another partition than their key's / explicit one ('reroute'). */
  reroutes: number;
  /** Messages that had to wait for their partition's leader ('hold'), in memory or in the backlog. */
  held: number;
  /** Of those, held in memory now. */
  heldNow: number;
  /** Messages in the on-disk backlog now (fsynced, not yet delivered). */
  backlogSize: number;
  /** Backlog messages delivered (acked by Kafka) by this producer. */
  replays: number;
  /** Further attempts after a failed one. */
  retries: number;
  /** Sends that tested an unknown or cooled-down broker. */
  probes: number;
  acked: number;
  backlogged: number;
  rejected: number;
  /** send() messages not settled yet (in flight, held, waiting). */
  buffered: number;
  inFlight: number;
  metadataRefreshes: number;
  metadataErrors: number;
  /** Leader of each partition, as last learnt (-1: none). */
  leaders: number[];
  brokers: Record<number, BrokerSnapshot>;
}

export interface ResilientProducer {
  /** Opens the backlog (if any; replays what it holds), connects the client, fetches metadata. */
  connect(): Promise<void>;
  /**
   * Resolves once Kafka acknowledged the message (`via: 'acked'`) or, with a backlog, once it is
   * fsynced there (`via: 'backlogged'`). Rejects with ResilientSendError when it cannot be kept:
   * out of attempts or deadline without a backlog, buffer full, backlog full, producer closing.
   */
  send(message: ResilientMessage): Promise<ResilientSendResult>;
  /**
   * Stops accepting sends, then delivers what it can within `timeoutMs` (held messages, the
   * backlog; unhealthy brokers probed every 500 ms meanwhile). What is left goes to the backlog
   * (if any; replayed by the next producer on the dir) or is rejected. @default timeoutMs 30000
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
  stats(): ResilientStats;
}

/** What the producer is built on; tests pass fakes. */
export interface ResilientDependencies {
  producer: ProducerUnderTest;
  metadata: MetadataSource;
  /** Monotonic ms. @default performance.now */
  clock?: () => number;
  /** @default 100 */
  pumpIntervalMs?: number;
}

interface Job {
  key: string | null;
  value: Buffer;
  /** The partition the message belongs to (key's or explicit), or null (unkeyed). */
  target: number | null;
  attempts: number;
  deadlineAtMs: number;
  /** Some attempt may have been written. */
  indeterminate: boolean;
  lastError: string | null;
  heldCounted: boolean;
  /** Pending send() (null once settled, and for replays). */
  resolve: ((result: ResilientSendResult) => void) | null;
  reject: ((error: Error) => void) | null;
  /** A backlog message being replayed. */
  entry: BacklogEntry | null;
}

type Phase = 'new' | 'connecting' | 'open' | 'closing' | 'final' | 'closed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The KAFKA-3686 fix as a library: a producer that keeps sending while one broker is unreachable
 * from it, by deciding placement itself (explicit partitions on the underlying client) from
 * per-broker health. See docs/resilient-producer.md for the policies and guarantees.
 */
export function createResilientProducer(options: ResilientProducerOptions): ResilientProducer {
  const resolved = resolveResilientOptions(options, options?.partitionForKey ?? partitionForKey);
  const settings = { ...DEFAULT_PRODUCER_SETTINGS, ...resolved.settings };
  return createResilientProducerWith(options, {
    producer: CLIENTS[resolved.client](resolved.bootstrap, resolved.topic, settings),
    metadata: createMetadataSource(resolved.client, resolved.bootstrap, resolved.topic, settings),
  });
}

/** createResilientProducer on given parts (the underlying producer, a metadata source, a clock). */
export function createResilientProducerWith(options: ResilientProducerOptions, deps: ResilientDependencies): ResilientProducer {
  const opts = resolveResilientOptions(options, options.partitionForKey ?? partitionForKey);
  const { producer, metadata } = deps;
  const clock = deps.clock ?? (() => performance.now());
  const pumpIntervalMs = deps.pumpIntervalMs ?? PUMP_INTERVAL_MS;
  const health = new BrokerHealth({ cooldownMs: opts.cooldownMs, maxCooldownMs: opts.maxCooldownMs, suspectAfterMs: opts.suspectAfterMs }, clock);
  const router = new PartitionRouter(opts.keyedPolicy, health, opts.stickyMs, clock);
  let leaders: number[] = [];
  const topic: TopicLeaders = {
    get partitions() {
      return leaders.length;
    },
    leaderOf: (p) => leaders[p] ?? -1,
  };

  let phase: Phase = 'new';
  let backlog: BacklogFile | null = null;
  /** 'hold': per partition, in order, messages waiting in memory for its leader. */
  const held = new Map<number, Job[]>();
  let heldNow = 0;
  /** Messages no partition can take now. */
  let waiting: Job[] = [];
  /** Backlog messages held for each partition (appending or pending): new ones for it queue behind. */
  const pinnedInBacklog = new Map<number, number>();
  const replaying = new Set<number>();
  const inFlightJobs = new Set<Job>();
  const writes = new Set<Promise<unknown>>();
  let buffered = 0;
  let seq = 0;
  const counters = { reroutes: 0, held: 0, replays: 0, retries: 0, probes: 0, acked: 0, backlogged: 0, rejected: 0, metadataRefreshes: 0, metadataErrors: 0 };
  let pumpTimer: NodeJS.Timeout | undefined;
  let pumpImmediate: NodeJS.Immediate | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let refreshTimer: NodeJS.Timeout | undefined;
  let refreshing = false;
  let lastRefreshAtMs = -Infinity;
  let closing: Promise<void> | undefined;

  const track = (write: Promise<unknown>) => {
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };
  const pinned = (p: number) => pinnedInBacklog.get(p) ?? 0;
  const addPinned = (p: number | null, n: number) => {
    if (p === null) return;
    const next = pinned(p) + n;
    if (next > 0) pinnedInBacklog.set(p, next);
    else pinnedInBacklog.delete(p);
  };

  const settle = (job: Job, result: ResilientSendResult) => {
    const resolve = job.resolve;
    if (!resolve) return;
    job.resolve = job.reject = null;
    buffered--;
    if (result.via === 'acked') counters.acked++;
    else counters.backlogged++;
    resolve(result);
  };

  const fail = (job: Job, error: Error) => {
    const reject = job.reject;
    if (!reject) return;
    job.resolve = job.reject = null;
    buffered--;
    counters.rejected++;
    reject(error);
  };

  const notDelivered = (job: Job, why: string, hint: string, cause?: unknown) =>
    new ResilientSendError(`${why} (topic ${opts.topic})`, { definite: !job.indeterminate, attempts: job.attempts, lastError: job.lastError, hint, cause });

  /** Writes messages to the backlog, held for `partition` (or for any when null); each send() resolves `backlogged` once fsynced. */
  function spill(jobs: Job[], partition: number | null): void {
    if (!backlog || jobs.length === 0) return;
    addPinned(partition, jobs.length);
    track(
      backlog.append(jobs.map((j) => ({ key: j.key, partition, value: j.value }))).then(
        () => {
          for (const job of jobs) settle(job, { partition, offset: null, via: 'backlogged' });
          pumpSoon();
        },
        (error: Error) => {
          addPinned(partition, -jobs.length);
          for (const job of jobs) fail(job, notDelivered(job, 'not delivered, and the backlog could not keep it', error.message, error));
        },
      ),
    );
  }

  /** Out of attempts or time (or closing): the backlog keeps it, else send() rejects. */
  function giveUp(job: Job): void {
    if (backlog && phase !== 'closed') return spill([job], opts.keyedPolicy === 'hold' ? job.target : null);
    fail(job, notDelivered(job, phase === 'final' ? 'producer closed before the message was delivered' : 'not delivered within maxAttempts / deliveryDeadlineMs', 'configure a backlog to keep such messages, or raise maxAttempts / deliveryDeadlineMs'));
  }

  function hold(job: Job, partition: number, front: boolean): void {
    if (!job.heldCounted) {
      job.heldCounted = true;
      counters.held++;
    }
    const leader = topic.leaderOf(partition);
    // A confirmed outage (not just an unknown broker being probed) sends it to disk, if there is a backlog.
    if (backlog && (leader < 0 || health.status(leader) === 'unhealthy')) return spill([job], partition);
    let queue = held.get(partition);
    if (!queue) held.set(partition, (queue = []));
    if (front) queue.unshift(job);
    else queue.push(job);
    heldNow++;
    schedulePump();
  }

  /** Places a send() message: now, held for its partition, or waiting for any partition. */
  function place(job: Job, front: boolean): void {
    const p = job.target;
    if (p !== null && opts.keyedPolicy === 'hold') {
      // Per-partition order: behind what the backlog or memory already holds for p.
      if (pinned(p) > 0) {
        if (!job.heldCounted) {
          job.heldCounted = true;
          counters.held++;
        }
        return spill([job], p);
      }
      if (!front && (held.get(p)?.length ?? 0) > 0) return hold(job, p, false);
    }
    const route = router.route(p, topic);
    if (route.kind === 'send') return attempt(job, route);
    if (route.kind === 'hold') return hold(job, route.partition, front);
    if (front) waiting.unshift(job);
    else waiting.push(job);
    schedulePump();
  }

  function attempt(job: Job, route: Extract<Route, { kind: 'send' }>): void {
    job.attempts++;
    if (route.probe) counters.probes++;
    if (route.rerouted) counters.reroutes++;
    const ticket = health.begin(route.broker, route.probe);
    inFlightJobs.add(job);
    producer.send([{ seq: seq++, key: job.key, partition: route.partition, value: job.value }]).then(
      (outcomes) => onOutcome(job, ticket, outcomes[0]),
      (error) => onOutcome(job, ticket, { ok: false, definite: false, error: error instanceof Error ? error.message : String(error), partition: route.partition }),
    );
  }

  function onOutcome(job: Job, ticket: SendTicket, outcome: SendOutcome): void {
    if (!inFlightJobs.delete(job)) return; // given up while in flight (close ran out of time)
    if (outcome.ok) {
      const wasHealthy = health.isHealthy(ticket.broker);
      health.succeeded(ticket);
      if (job.entry) replayed(job.entry);
      else settle(job, { partition: outcome.partition, offset: outcome.offset, via: 'acked' });
      if (!wasHealthy) pumpSoon(); // held and waiting messages may go now
      return;
    }
    if (NOT_THE_BROKER.test(outcome.error)) health.abandoned(ticket);
    else {
      health.failed(ticket);
      requestRefresh();
    }
    job.indeterminate ||= !outcome.definite;
    job.lastError = outcome.error;
    if (job.entry) replaying.delete(job.entry.id); // stays in the backlog; the pump sends it again
    else if (MESSAGE_PROBLEM.test(outcome.error)) fail(job, notDelivered(job, 'the cluster refused the message itself', 'check the message size and the topic configuration'));
    else if (phase !== 'final' && job.attempts < opts.maxAttempts && clock() < job.deadlineAtMs) {
      counters.retries++;
      place(job, true);
    } else giveUp(job);
    schedulePump(); // held messages of a now unhealthy leader may move to the backlog; cooldowns end
  }

  function replayed(entry: BacklogEntry): void {
    replaying.delete(entry.id);
    counters.replays++;
    addPinned(entry.partition, -1);
    // A done mark lost in a crash replays the message once more: a duplicate, never a loss.
    if (backlog) track(backlog.markDone([entry.id]).catch(() => {}));
    pumpSoon();
  }

  function expire(now: number): void {
    if (waiting.length > 0 && waiting.some((j) => j.deadlineAtMs <= now)) {
      const expired = waiting.filter((j) => j.deadlineAtMs <= now);
      waiting = waiting.filter((j) => j.deadlineAtMs > now);
      expired.forEach(giveUp);
    }
    for (const [p, queue] of held) {
      if (!queue.some((j) => j.deadlineAtMs <= now)) continue;
      const kept = queue.filter((j) => j.deadlineAtMs > now);
      const expired = queue.filter((j) => j.deadlineAtMs <= now);
      heldNow -= expired.length;
      if (kept.length > 0) held.set(p, kept);
      else held.delete(p);
      expired.forEach(giveUp);
    }
  }

  function spillHeld(p: number, queue: Job[]): void {
    heldNow -= queue.length;
    held.delete(p);
    spill(queue, p);
  }

  function replay(): void {
    if (!backlog) return;
    const blocked = new Set<number>();
    let freeBlocked = false;
    for (const entry of backlog.entries()) {
      if (replaying.size >= REPLAY_CONCURRENCY) break;
      if (freeBlocked && blocked.size >= topic.partitions) break;
      if (replaying.has(entry.id)) continue;
      const p = entry.partition;
      if (p === null ? freeBlocked : blocked.has(p)) continue;
      const route = router.route(p, topic, 'hold');
      if (route.kind !== 'send') {
        if (p === null) freeBlocked = true;
        else blocked.add(p);
        continue;
      }
      let value: Buffer;
      try {
        value = backlog.read(entry).value;
      } catch {
        continue; // unreadable: left in the file for a person to look at
      }
      replaying.add(entry.id);
      attempt({ key: entry.key, value, target: p, attempts: 0, deadlineAtMs: Infinity, indeterminate: false, lastError: null, heldCounted: true, resolve: null, reject: null, entry }, route);
    }
  }

  function pump(): void {
    if (phase !== 'open' && phase !== 'closing') return;
    expire(clock());
    while (waiting.length > 0) {
      const route = router.route(waiting[0].target, topic);
      if (route.kind !== 'send') break;
      attempt(waiting.shift()!, route);
    }
    for (const [p, queue] of held) {
      if (backlog && pinned(p) > 0) {
        spillHeld(p, queue); // keep order: behind what the backlog holds for p
        continue;
      }
      while (queue.length > 0) {
        const route = router.route(p, topic);
        if (route.kind !== 'send') {
          const leader = topic.leaderOf(p);
          if (backlog && (leader < 0 || health.status(leader) === 'unhealthy')) spillHeld(p, queue);
          break;
        }
        heldNow--;
        attempt(queue.shift()!, route);
      }
      if (queue.length === 0) held.delete(p);
    }
    if (backlog && backlog.size > replaying.size) replay();
    schedulePump();
  }

  /** Looks again after pumpIntervalMs while there is held, waiting or backlog work. */
  function schedulePump(): void {
    if (pumpTimer) return;
    const work = waiting.length > 0 || heldNow > 0 || (backlog !== null && backlog.size > replaying.size);
    if (!work) return;
    pumpTimer = setTimeout(() => {
      pumpTimer = undefined;
      pump();
    }, pumpIntervalMs);
  }

  function pumpSoon(): void {
    pumpImmediate ??= setImmediate(() => {
      pumpImmediate = undefined;
      pump();
    });
  }

  function requestRefresh(): void {
    if (refreshing || clock() - lastRefreshAtMs < METADATA_MIN_GAP_MS) return;
    refresh();
  }

  function refresh(): void {
    if (refreshing || (phase !== 'open' && phase !== 'closing')) return;
    refreshing = true;
    lastRefreshAtMs = clock();
    metadata
      .fetch(opts.metadataTimeoutMs)
      .then(
        (snapshot) => {
          counters.metadataRefreshes++;
          leaders = snapshot.leaders;
          pumpSoon();
        },
        () => {
          counters.metadataErrors++; // keep the last known leaders
        },
      )
      .finally(() => {
        refreshing = false;
      });
  }

  async function shutDownParts(): Promise<void> {
    clearTimeout(pumpTimer);
    if (pumpImmediate) clearImmediate(pumpImmediate);
    clearInterval(sweepTimer);
    clearInterval(refreshTimer);
    await metadata.close().catch(() => {});
    await backlog?.close().catch(() => {});
  }

  return {
    async connect() {
      if (phase !== 'new') throw new HarnessError(`resilient producer: connect() called when ${phase}`, { hint: 'connect once, after creating the producer' });
      phase = 'connecting';
      const deadline = clock() + opts.connectTimeoutMs;
      const left = () => Math.max(1, deadline - clock());
      try {
        if (opts.backlog) {
          backlog = BacklogFile.open(opts.backlog.dir, { maxBytes: opts.backlog.maxBytes });
          for (const entry of backlog.entries()) addPinned(entry.partition, 1);
        }
        await withTimeout(producer.connect(), left(), `${opts.client} producer connect to ${opts.bootstrap}`);
        await metadata.connect(left());
        for (;;) {
          try {
            leaders = (await metadata.fetch(Math.min(opts.metadataTimeoutMs, left()))).leaders;
            break;
          } catch (error) {
            if (clock() + CONNECT_RETRY_MS >= deadline) throw error;
            await sleep(CONNECT_RETRY_MS);
          }
        }
      } catch (error) {
        phase = 'closed';
        await producer.close(0).catch(() => {});
        await shutDownParts();
        throw new HarnessError(`resilient producer could not connect to ${opts.bootstrap} (topic ${opts.topic}): ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
          hint: 'check that the brokers are reachable and the topic exists',
        });
      }
      lastRefreshAtMs = clock();
      phase = 'open';
      const sweepEveryMs = Math.max(20, Math.min(250, opts.suspectAfterMs / 4));
      sweepTimer = setInterval(() => {
        if (health.sweep().length > 0) {
          requestRefresh();
          pumpSoon();
        }
      }, sweepEveryMs);
      sweepTimer.unref();
      refreshTimer = setInterval(refresh, opts.metadataRefreshMs);
      refreshTimer.unref();
      pump(); // a backlog left by an earlier producer starts replaying
    },

    send(message) {
      if (phase !== 'open') {
        const why = phase === 'new' || phase === 'connecting' ? 'send() before connect() finished' : 'producer is closing';
        return Promise.reject(new ResilientSendError(`${why}: not sent`, { definite: true, attempts: 0, hint: 'await connect() first; do not send after close()' }));
      }
      const value = typeof message?.value === 'string' ? Buffer.from(message.value) : message?.value;
      const key = message?.key ?? null;
      const partition = message?.partition ?? null;
      if (!Buffer.isBuffer(value)) return Promise.reject(new ResilientSendError('message.value is neither a Buffer nor a string', { definite: true, attempts: 0 }));
      if (key !== null && typeof key !== 'string') return Promise.reject(new ResilientSendError(`message.key ${JSON.stringify(key)} is not a string`, { definite: true, attempts: 0 }));
      if (partition !== null && !(Number.isInteger(partition) && partition >= 0 && partition < topic.partitions)) {
        return Promise.reject(new ResilientSendError(`message.partition ${JSON.stringify(partition)} is not a partition of ${opts.topic} (0..${topic.partitions - 1})`, { definite: true, attempts: 0 }));
      }
      if (buffered >= opts.maxBufferedMessages) {
        return Promise.reject(
          new ResilientSendError(`buffer full: ${buffered} messages held in memory (maxBufferedMessages ${opts.maxBufferedMessages}); not sent`, {
            definite: true,
            attempts: 0,
            hint: 'await earlier sends before sending more, or raise maxBufferedMessages',
          }),
        );
      }
      buffered++;
      const target = partition ?? (key !== null ? opts.partitionForKey(key, topic.partitions) : null);
      return new Promise<ResilientSendResult>((resolve, reject) => {
        place({ key, value, target, attempts: 0, deadlineAtMs: clock() + opts.deliveryDeadlineMs, indeterminate: false, lastError: null, heldCounted: false, resolve, reject, entry: null }, false);
      });
    },

    close(options = {}) {
      closing ??= (async () => {
        if (phase === 'new' || phase === 'closed') {
          phase = 'closed';
          return;
        }
        phase = 'closing';
        const deadline = clock() + (options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
        health.capCooldown(DRAIN_PROBE_INTERVAL_MS);
        pump();
        while (clock() < deadline && (buffered > 0 || inFlightJobs.size > 0 || (backlog !== null && backlog.size > 0))) {
          await sleep(CLOSE_POLL_MS);
          pump();
        }
        // Out of time: nothing new goes out; what is still in memory goes to the backlog or is rejected.
        phase = 'final';
        const left = [...waiting, ...[...held.values()].flat()];
        waiting = [];
        held.clear();
        heldNow = 0;
        left.forEach(giveUp);
        // In-flight sends settle when the client closes (it flushes what it can and reports the rest).
        await producer.close(Math.max(0, deadline - clock())).catch(() => {});
        const settleBy = clock() + CLOSE_POLL_MS * 50;
        while (inFlightJobs.size > 0 && clock() < settleBy) await sleep(CLOSE_POLL_MS);
        for (const job of [...inFlightJobs]) {
          inFlightJobs.delete(job);
          job.indeterminate = true;
          if (job.entry) continue; // still in the backlog
          giveUp(job);
        }
        while (writes.size > 0) await Promise.allSettled([...writes]);
        phase = 'closed';
        await shutDownParts();
      })();
      return closing;
    },

    stats() {
      return {
        ...counters,
        heldNow,
        backlogSize: backlog?.size ?? 0,
        buffered,
        inFlight: inFlightJobs.size,
        leaders: [...leaders],
        brokers: health.snapshot(),
      };
    },
  };
}
