/** Producer settings the harness maps onto every client (DESIGN.md: config). */
export interface ProducerSettings {
  /** 'all' (= -1), 1 or 0. @default 'all' */
  acks: 'all' | 0 | 1;
  /** enable.idempotence (librdkafka, Java) / idempotent (kafkajs). @default false */
  idempotent: boolean;
  /** Client-level retries of a failed produce request. @default 1 */
  retries: number;
  /** How long one produce request may wait for its response. @default 2000 */
  requestTimeoutMs: number;
  /** Upper bound on one message's whole delivery, retries included (librdkafka message.timeout.ms, Java delivery.timeout.ms). kafkajs has no such setting: its own request timeout × retries bound it. @default 5000 */
  deliveryTimeoutMs: number;
  /**
   * The application's own deadline per send, when the scenario names one: after it the attempt is
   * recorded as info (the app stops waiting) while the client's own outcome is still recorded,
   * flagged late. null: the outcome is the client's alone. @default null
   */
  appDeadlineMs: number | null;
  /** max.in.flight.requests.per.connection. @default 5 */
  maxInFlight: number;
  /** linger.ms. @default 0 (kafkajs has no linger; ignored there) */
  lingerMs: number;
  /** batch.size in bytes. @default 16384 */
  batchSizeBytes: number;
  /** kafkajs only: messages handed to one `send()` call (batches fail together). @default 1 */
  messagesPerSend: number;
  /** Passed to the client unchanged, after the mapped settings (wins over them). */
  raw: Record<string, string | number | boolean>;
}

export const DEFAULT_PRODUCER_SETTINGS: ProducerSettings = {
  acks: 'all',
  idempotent: false,
  retries: 1,
  requestTimeoutMs: 2000,
  deliveryTimeoutMs: 5000,
  appDeadlineMs: null,
  maxInFlight: 5,
  lingerMs: 0,
  batchSizeBytes: 16384,
  messagesPerSend: 1,
  raw: {},
};

export interface OutgoingMessage {
  seq: number;
  key: string | null;
  /** null lets the client's partitioner choose. */
  partition: number | null;
  value: Buffer;
}

/**
 * What the client said about one message. `definite: true` on a failure means the client knows it
 * was not written (history `fail`); otherwise the outcome is unknown (history `info`). On success an
 * unknown partition or offset is null (never -1).
 */
export type SendOutcome =
  | { ok: true; partition: number | null; offset: number | null }
  | { ok: false; definite: boolean; error: string; partition: number | null; tried?: number[] };

/** One producer library driven by the harness. `send` never rejects: every outcome is a value. */
export interface ProducerUnderTest {
  readonly client: string;
  connect(): Promise<void>;
  /** Sends messages (one, or a batch for kafkajs' messagesPerSend) and resolves one outcome each. */
  send(messages: OutgoingMessage[]): Promise<SendOutcome[]>;
  /**
   * Optional callback form of `send` for one message, for clients whose own API is callback-based
   * (node-rdkafka's delivery reports): `done(id, outcome)` gets the same outcome, once, with no
   * promise per message. `id` is the caller's, handed back so that one `done` serves every message
   * (no closure per message either). The workload uses it at full speed, where a promise chain per
   * message in flight costs more than the client's own work. Must not throw.
   */
  sendEach?(message: OutgoingMessage, id: number, done: (id: number, outcome: SendOutcome) => void): void;
  /** Flushes what it can within `timeoutMs`, then releases the client. */
  close(timeoutMs: number): Promise<void>;
}

export type ProducerFactory = (bootstrap: string, topic: string, settings: ProducerSettings) => ProducerUnderTest;
