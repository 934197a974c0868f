import type { CountName, Counts, ExpectationSpec } from './check-types';

/**
 * What Kafka promises a producer, derived from its settings, the topic's settings and the faults
 * in play; and, for each nonzero anomaly count, whether it is "allowed by this configuration" or
 * "breaks a promise". Pure: no I/O, no clock.
 *
 * Kafka semantics the rules encode (Kafka and librdkafka documentation):
 * - acks=0: the producer counts a message as sent once it is written to the socket; nothing is
 *   confirmed, so anything "acked" may be lost, and a retry cannot happen (no error comes back).
 * - acks=1: the leader confirms after its own append; a leader lost before its followers copied
 *   the write takes acknowledged messages with it (a follower that missed them becomes leader).
 * - acks=all: the leader confirms once every replica in the ISR has the write, and refuses it
 *   (NOT_ENOUGH_REPLICAS) while the ISR is smaller than min.insync.replicas. With
 *   min.insync.replicas >= 2 and no unclean election, an acknowledged write is on at least two
 *   replicas and only ISR (or ELR) members become leader: it survives. With min.insync.replicas=1
 *   the ISR may be the leader alone, and an unclean election may pick a replica that never had it.
 * - retries without idempotence: a request whose answer was lost is sent again, so the broker can
 *   write it twice (duplicates); with max.in.flight > 1 a retried batch can land after a later
 *   batch that succeeded (reordering). Idempotence (acks=all, max.in.flight <= 5) removes both
 *   within one producer session: the broker drops a batch whose sequence number it has seen.
 *   It covers at most 5 requests in flight (the broker keeps the sequence numbers of the last 5
 *   batches per producer and partition): librdkafka and the Java client (enable.idempotence set,
 *   as the harness sets it) refuse to start with more, so such a configuration is promised nothing;
 *   kafkajs accepts it (2.2.4 has no such check), and it gets no credit for idempotence there.
 * - An application that resends after an error (the seed's workaround) sends a new message as far
 *   as Kafka knows: neither idempotence nor anything else removes those duplicates. Errors come
 *   without faults too (a timeout on a busy machine), so in a resending mode no-duplicates is never
 *   promised, fault or not.
 */

export interface GuaranteeInputs {
  acks: 'all' | 0 | 1;
  idempotent: boolean;
  retries: number;
  maxInFlight: number;
  minInsyncReplicas: number;
  uncleanLeaderElection: boolean;
  /** The scenario's faults (kind, and for link faults the link). */
  faults: ReadonlyArray<{ kind: string; link?: string }>;
  /** 'library-only', or a mode in which the application resends ('workaround', 'resilient'). @default 'library-only' */
  mode?: string;
  /** The client under test, for client-specific caveats (kafkajs). */
  client?: string;
}

export type PromiseName = 'no-lost-acked' | 'no-duplicates' | 'in-order';

export interface PromiseVerdict {
  promise: PromiseName;
  /** true: Kafka promises it here, so a nonzero count breaks a promise. */
  holds: boolean;
  why: string;
}

export const ALLOWED = 'allowed by this configuration';
export const BREAKS = 'breaks a promise';
export type AnomalyLabel = typeof ALLOWED | typeof BREAKS;

export interface LabelledCount {
  count: CountName;
  value: number;
  label: AnomalyLabel;
  why: string;
}

/** What results.json carries per scenario (optional `guarantees`). */
export interface Guarantees {
  promises: PromiseVerdict[];
  /** One entry per nonzero anomaly count. */
  labels: LabelledCount[];
}

/** Counts that are anomalies (failed and indeterminate are outcomes the client reported, not anomalies). */
export const ANOMALY_COUNTS: readonly CountName[] = [
  'lostAcked', 'undelivered', 'deliveredDespiteError', 'duplicates', 'reordered', 'offsetMismatch', 'unexpected',
];

const PROCESS_FAULTS = new Set(['kill', 'stop', 'pause', 'restart']);
const PROMISE_NAMES: readonly PromiseName[] = ['no-lost-acked', 'no-duplicates', 'in-order'];
/** Idempotence covers at most this many requests in flight (the broker's 5 cached batches per producer and partition). */
const IDEMPOTENT_MAX_IN_FLIGHT = 5;
/** Clients that refuse to start with idempotence and max.in.flight > 5 (librdkafka's config check; Java's ConfigException). */
const REFUSE_IDEMPOTENCE_ABOVE_MAX_IN_FLIGHT: ReadonlySet<string> = new Set(['node-rdkafka', 'java']);

interface FaultsInPlay {
  any: boolean;
  /** A broker process is killed, stopped, paused or restarted: a leader can change. */
  leaderCanFail: boolean;
}

function faultsInPlay(faults: GuaranteeInputs['faults']): FaultsInPlay {
  return { any: faults.length > 0, leaderCanFail: faults.some((f) => PROCESS_FAULTS.has(f.kind)) };
}

/** Why idempotence does not protect retries here, or undefined when it does (or is off). */
function idempotenceGap(inputs: GuaranteeInputs): string | undefined {
  if (!inputs.idempotent) return undefined;
  if (inputs.acks !== 'all' || inputs.retries === 0) return 'idempotence is not in effect: it needs acks=all and retries > 0';
  if (inputs.maxInFlight > IDEMPOTENT_MAX_IN_FLIGHT) {
    return `idempotence covers at most ${IDEMPOTENT_MAX_IN_FLIGHT} requests in flight (the broker keeps the sequence numbers of the last 5 batches per producer and partition), not max.in.flight=${inputs.maxInFlight}`;
  }
  return undefined;
}

const idempotenceInEffect = (inputs: GuaranteeInputs) => inputs.idempotent && idempotenceGap(inputs) === undefined;

/** A configuration the client under test refuses to start with, or undefined. */
function refusedConfiguration(inputs: GuaranteeInputs): string | undefined {
  if (inputs.idempotent && inputs.maxInFlight > IDEMPOTENT_MAX_IN_FLIGHT && REFUSE_IDEMPOTENCE_ABOVE_MAX_IN_FLIGHT.has(inputs.client ?? '')) {
    return `a configuration ${inputs.client} refuses: enable.idempotence with max.in.flight=${inputs.maxInFlight} (> ${IDEMPOTENT_MAX_IN_FLIGHT}); the producer does not start, so nothing is promised`;
  }
  return undefined;
}

const resends = (inputs: GuaranteeInputs) => (inputs.mode ?? 'library-only') !== 'library-only';

function noLostAcked(inputs: GuaranteeInputs, faults: FaultsInPlay): PromiseVerdict {
  const promise = 'no-lost-acked';
  if (inputs.acks === 0) {
    return faults.any
      ? { promise, holds: false, why: 'acks=0: a message counts as sent once written to the socket; the broker confirms nothing' }
      : { promise, holds: true, why: 'no fault in play: nothing takes a written message away' };
  }
  let weakness: string | undefined;
  if (inputs.acks === 1) weakness = 'acks=1: only the leader had the write when it was confirmed; a new leader may not have it';
  else if (inputs.uncleanLeaderElection) weakness = 'unclean.leader.election.enable=true: a replica that never had the write may be elected leader';
  else if (inputs.minInsyncReplicas < 2) weakness = `min.insync.replicas=${inputs.minInsyncReplicas}: the ISR may be the leader alone, so an acknowledged write may live on one replica`;
  if (!weakness) {
    return { promise, holds: true, why: `acks=all, min.insync.replicas=${inputs.minInsyncReplicas}, no unclean election: an acknowledged write is on at least two replicas and only they can lead` };
  }
  return faults.leaderCanFail
    ? { promise, holds: false, why: weakness }
    : { promise, holds: true, why: `${weakness}; but no fault in play takes a leader away (no process fault)` };
}

function noDuplicates(inputs: GuaranteeInputs, faults: FaultsInPlay): PromiseVerdict {
  const promise = 'no-duplicates';
  // Before the no-fault rule: an error (a timeout) can come without any fault, and the resend is a new message.
  if (resends(inputs)) return { promise, holds: false, why: `mode ${inputs.mode}: the application resends after an error (one can come without a fault, e.g. a timeout), and Kafka sees a new message` };
  if (!faults.any) return { promise, holds: true, why: 'no fault in play: nothing is resent' };
  if (inputs.acks === 0) return { promise, holds: true, why: 'acks=0: no answer comes back, so nothing is retried' };
  if (idempotenceInEffect(inputs)) return { promise, holds: true, why: 'idempotent producer: the broker drops a retried batch whose sequence number it has already written' };
  if (inputs.retries === 0) return { promise, holds: true, why: 'retries=0: the client never sends a request twice' };
  const gap = idempotenceGap(inputs);
  return { promise, holds: false, why: `retries=${inputs.retries} without idempotence${gap ? ` (${gap})` : ''}: a request whose answer was lost is written again` };
}

function inOrder(inputs: GuaranteeInputs, faults: FaultsInPlay, duplicates: PromiseVerdict): PromiseVerdict {
  const promise = 'in-order';
  if (!duplicates.holds) {
    // The checker's reordered count takes a late copy of an earlier seq as out of order.
    return { promise, holds: false, why: `duplicates are allowed (${duplicates.why}), and a copy written after later messages counts as reordered` };
  }
  if (!faults.any) return { promise, holds: true, why: 'no fault in play: nothing is retried' };
  if (inputs.acks === 0 || inputs.retries === 0) return { promise, holds: true, why: inputs.acks === 0 ? 'acks=0: nothing is retried' : 'retries=0: nothing is retried' };
  if (inputs.client === 'kafkajs') {
    return { promise, holds: false, why: 'kafkajs retries each send() call on its own: with several sends outstanding, a retried one can land after later ones whatever maxInFlight' };
  }
  if (idempotenceInEffect(inputs)) {
    return { promise, holds: true, why: `idempotent producer with max.in.flight=${inputs.maxInFlight} (<= ${IDEMPOTENT_MAX_IN_FLIGHT}): the broker rejects a batch out of sequence, so retries keep the order` };
  }
  return inputs.maxInFlight > 1
    ? { promise, holds: false, why: `max.in.flight=${inputs.maxInFlight} with retries and without idempotence: a failed batch retried after a later one succeeded lands behind it` }
    : { promise, holds: true, why: 'max.in.flight=1: one request at a time, so a retry goes out before anything later' };
}

/** The three promises for a configuration and the faults in play. */
export function derivePromises(inputs: GuaranteeInputs): PromiseVerdict[] {
  const refused = refusedConfiguration(inputs);
  if (refused) return PROMISE_NAMES.map((promise) => ({ promise, holds: false, why: refused }));
  const faults = faultsInPlay(inputs.faults);
  const duplicates = noDuplicates(inputs, faults);
  return [noLostAcked(inputs, faults), duplicates, inOrder(inputs, faults, duplicates)];
}

const promiseOf = (promises: PromiseVerdict[], name: PromiseName) => promises.find((p) => p.promise === name)!;

/** Which promise, if any, makes each anomaly count a broken promise. */
function labelFor(count: CountName, promises: PromiseVerdict[]): { label: AnomalyLabel; why: string } {
  const byPromise = (name: PromiseName) => {
    const p = promiseOf(promises, name);
    return { label: p.holds ? BREAKS : ALLOWED, why: p.why } as const;
  };
  switch (count) {
    case 'lostAcked':
      return byPromise('no-lost-acked');
    case 'offsetMismatch': {
      const p = byPromise('no-lost-acked');
      return { label: p.label, why: `an acknowledged offset holds another record (or none) when acknowledged writes are lost and the offset reused; ${p.why}` };
    }
    case 'duplicates':
      return byPromise('no-duplicates');
    case 'reordered':
      return byPromise('in-order');
    case 'undelivered':
      return { label: ALLOWED, why: 'Kafka promises nothing for a send it did not acknowledge; acknowledged messages that went missing are counted (and judged) as lostAcked' };
    case 'deliveredDespiteError':
      return { label: ALLOWED, why: 'a timeout or a lost connection does not mean "not written": the broker may have appended the batch before the error' };
    case 'unexpected':
      return { label: BREAKS, why: 'records nobody sent: neither Kafka nor the producer may invent records' };
    default:
      return { label: ALLOWED, why: 'not an anomaly' };
  }
}

/** Labels every nonzero anomaly count. */
export function labelAnomalies(counts: Counts, inputs: GuaranteeInputs): Guarantees {
  const promises = derivePromises(inputs);
  const labels = ANOMALY_COUNTS.filter((count) => counts[count] > 0).map((count) => ({ count, value: counts[count], ...labelFor(count, promises) }));
  return { promises, labels };
}

/**
 * Default expectations when a scenario gives none: every count a promise covers must be 0
 * (e.g. acks=all + min.insync.replicas>=2 + no unclean election → lostAcked 0); unexpected is always 0.
 */
export function defaultExpectations(inputs: GuaranteeInputs): ExpectationSpec {
  const promises = derivePromises(inputs);
  const expect: ExpectationSpec = {};
  if (promiseOf(promises, 'no-lost-acked').holds) Object.assign(expect, { lostAcked: 0, offsetMismatch: 0 });
  if (promiseOf(promises, 'no-duplicates').holds) expect.duplicates = 0;
  if (promiseOf(promises, 'in-order').holds) expect.reordered = 0;
  expect.unexpected = 0;
  return expect;
}
