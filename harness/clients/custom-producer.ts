import path from 'node:path';
import { HarnessError } from '../errors';
import { describeError } from './kafkajs-producer';
import { createLineProtocolProducer } from './line-protocol-producer';
import { OutgoingMessage, ProducerFactory, ProducerSettings, ProducerUnderTest, SendOutcome } from './producer-under-test';
import type { ProducerSpec } from '../../scenarios/scenario';
import { requireModule } from '../load-module';

/** The export a producer module is expected to have when `producer.export` is not given. */
export const DEFAULT_FACTORY_EXPORT = 'createProducer';
/** What results show as the client of a team's own producer. */
const CUSTOM_CLIENT = 'custom';

/**
 * One message for a team's producer. Send it with this key, to this partition (null: your
 * partitioner or your code chooses) and with the value unchanged: the verifier reads the seq from it.
 */
export interface CustomProducerMessage {
  seq: number;
  key: string | null;
  partition: number | null;
  value: Buffer;
}

/**
 * Where the message landed. kafkajs' string offsets are accepted. An unknown offset (acks=0) or
 * partition is null; -1 or a missing field mean the same. An unknown offset makes no offset claim.
 */
export interface CustomSendResult {
  partition: number | null;
  offset: number | string | null;
}

/**
 * A team's own producer (their wrapper, retry logic and config around any client library).
 * `send` resolves once the message is acknowledged; a rejection is a failure the app would see.
 * The outcome of a rejection is unknown (history `info`: it may still land) unless the error has
 * `definite: true` (the producer knows nothing was written: history `fail`).
 */
export interface CustomProducer {
  /** Optional: awaited before the first send. */
  connect?(): Promise<void>;
  send(message: CustomProducerMessage): Promise<CustomSendResult>;
  close(): Promise<void>;
}

/** Settings a custom producer gets: the scenario's config (map what applies to you) and the topic. */
export type CustomProducerSettings = ProducerSettings & { topic: string };

/** What a producer module exports (as `createProducer`, or the name in `producer.export`). */
export type CustomProducerFactory = (bootstrap: string, settings: CustomProducerSettings) => CustomProducer | Promise<CustomProducer>;

/** A rejection reason may say what it knows: `definite: true` (not written), the partition it was for. */
interface SendError {
  definite?: unknown;
  partition?: unknown;
}

/** A number from a number, a numeric string ("12", as kafkajs gives offsets) or a bigint; else undefined. */
function toInteger(value: unknown): number | undefined {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** A partition or offset the producer reported, or null when it gave none or said unknown (-1, as many clients do). */
function position(value: unknown): number | null {
  const n = toInteger(value);
  return n !== undefined && n >= 0 ? n : null;
}

/** The outcome the harness records for one settled send of a custom producer. */
export function outcomeOf(message: OutgoingMessage, settled: PromiseSettledResult<unknown>): SendOutcome {
  if (settled.status === 'fulfilled') {
    const result = (settled.value ?? {}) as Partial<Record<'partition' | 'offset', unknown>>;
    return { ok: true, partition: position(result.partition) ?? message.partition, offset: position(result.offset) };
  }
  const reason = settled.reason as SendError | undefined;
  const partition = (reason && typeof reason === 'object' ? toInteger(reason.partition) : undefined) ?? message.partition ?? null;
  return { ok: false, definite: Boolean(reason && typeof reason === 'object' && reason.definite === true), error: describeError(settled.reason), partition };
}

/** Loads a producer module (a path already made absolute by defineScenario, or a package name). */
function loadFactory(spec: { module: string; export?: string }): CustomProducerFactory {
  const name = spec.export ?? DEFAULT_FACTORY_EXPORT;
  let file: string;
  let loaded: unknown;
  try {
    file = path.isAbsolute(spec.module) ? spec.module : require.resolve(spec.module, { paths: [process.cwd()] });
    loaded = requireModule(file); // a .ts module through tsx, registered only now
  } catch (error) {
    throw new HarnessError(`producer module ${spec.module} could not be loaded: ${(error as Error).message}`, {
      cause: error,
      hint: 'give a CommonJS or TypeScript module that exports the factory',
    });
  }
  const members = (loaded ?? {}) as Record<string, unknown>;
  let factory = members[name];
  if (factory === undefined && spec.export === undefined) factory = typeof loaded === 'function' ? loaded : members.default;
  if (typeof factory !== 'function') {
    const functions = Object.keys(members).filter((key) => typeof members[key] === 'function');
    throw new HarnessError(`producer module ${file} has no exported function ${name}`, {
      hint: `export ${name}(bootstrap, settings) => ({ send, close }), or name the export in producer.export (functions it exports: ${functions.join(', ') || 'none'})`,
    });
  }
  return factory as CustomProducerFactory;
}

/**
 * Adapts a team's producer module to ProducerUnderTest: each message of a `send` goes to their
 * `send`, every settlement becomes an outcome (never a rejection), and `close` is bounded.
 */
export function createModuleProducer(spec: { module: string; export?: string }, bootstrap: string, topic: string, settings: ProducerSettings): ProducerUnderTest {
  let producer: CustomProducer | undefined;
  return {
    client: CUSTOM_CLIENT,
    async connect() {
      const factory = loadFactory(spec);
      const made = await factory(bootstrap, { ...settings, topic });
      if (!made || typeof made.send !== 'function' || typeof made.close !== 'function') {
        throw new HarnessError(`the factory of producer module ${spec.module} returned ${made === null ? 'null' : typeof made}, not an object with send() and close()`, {
          hint: 'return { send(message) => Promise<{ partition, offset }>, close() => Promise<void> }',
        });
      }
      producer = made;
      if (typeof made.connect === 'function') await made.connect();
    },
    async send(messages) {
      const target = producer;
      if (!target) return messages.map((m) => ({ ok: false as const, definite: true, error: 'producer not connected', partition: m.partition }));
      const settled = await Promise.allSettled(
        messages.map((m) => Promise.resolve().then(() => target.send({ seq: m.seq, key: m.key, partition: m.partition, value: m.value }))),
      );
      return messages.map((m, i) => outcomeOf(m, settled[i]));
    },
    async close(timeoutMs) {
      const target = producer;
      producer = undefined;
      if (!target) return;
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.resolve().then(() => target.close()).catch(() => {}), bound]);
      clearTimeout(timer);
    },
  };
}

export interface CustomProducerOptions {
  /** A command producer's stderr is appended here (the scenario folder's producer.log). @default only a tail is kept for errors */
  logFile?: string;
}

/**
 * The factory run-scenario uses for a scenario's `producer` field: a module's factory, or a child
 * process speaking docs/producer-protocol.md (spawned without a shell in the working directory).
 */
export function customProducerFactory(spec: ProducerSpec, options: CustomProducerOptions = {}): ProducerFactory {
  if ('module' in spec) return (bootstrap, topic, settings) => createModuleProducer(spec, bootstrap, topic, settings);
  const [command, ...args] = spec.command;
  return createLineProtocolProducer(command, args, { client: CUSTOM_CLIENT, logFile: options.logFile });
}
