import net from 'node:net';
import { HarnessError } from '../errors';
import type { CoordinatorType } from '../faults/fault-target';
import { StopWaiting, waitUntil } from './wait-until';

/**
 * Which broker coordinates a consumer group or a transactional id, asked the way clients ask:
 * one FindCoordinator request (api key 10, version 1: key and key type; every Kafka since 0.11
 * answers it, 4.x included) over the DIRECT listener. kafkajs keeps its own lookup private.
 */
const API_KEY = 10;
const API_VERSION = 1;
const CLIENT_ID = 'kchaos-roles';
const KEY_TYPES: Record<CoordinatorType, number> = { group: 0, transaction: 1 };
/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR: the internal topic is being created or moved; ask again. */
const RETRIABLE_ERRORS = new Set([14, 15, 16]);
/** The first lookup creates __consumer_offsets or __transaction_state (50 partitions). @default 60000 */
const DEFAULT_FIND_TIMEOUT_MS = 60_000;
/** One request's budget. @default 5000 */
const REQUEST_TIMEOUT_MS = 5_000;

export interface FindCoordinatorAnswer {
  correlationId: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

const int16String = (text: string): Buffer => {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

/** The request with its 4-byte size prefix (request header v1: api key, version, correlation id, client id). */
export function encodeFindCoordinator(correlationId: number, type: CoordinatorType, key: string): Buffer {
  const header = Buffer.alloc(8);
  header.writeInt16BE(API_KEY, 0);
  header.writeInt16BE(API_VERSION, 2);
  header.writeInt32BE(correlationId, 4);
  const body = Buffer.concat([header, int16String(CLIENT_ID), int16String(key), Buffer.from([KEY_TYPES[type]])]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** The response without its size prefix (response header v0, then the v1 body). */
export function decodeFindCoordinator(response: Buffer): FindCoordinatorAnswer {
  let at = 0;
  const int16 = () => ((at += 2), response.readInt16BE(at - 2));
  const int32 = () => ((at += 4), response.readInt32BE(at - 4));
  const string = (): string | null => {
    const length = int16();
    if (length < 0) return null;
    at += length;
    return response.toString('utf8', at - length, at);
  };
  const correlationId = int32();
  int32(); // throttle_time_ms
  return { correlationId, errorCode: int16(), errorMessage: string(), nodeId: int32(), host: string() ?? '', port: int32() };
}

/** One request to one broker ("host:port"); resolves with its answer. */
export function askFindCoordinator(broker: string, type: CoordinatorType, key: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<FindCoordinatorAnswer> {
  const [host, port] = [broker.slice(0, broker.lastIndexOf(':')), Number(broker.slice(broker.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no FindCoordinator answer from ${broker} within ${timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('connect', () => socket.write(encodeFindCoordinator(1, type, key)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.destroy();
      try {
        resolve(decodeFindCoordinator(received.subarray(4, 4 + received.readInt32BE(0))));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** The id of the broker coordinating `key`, asked of the first broker of `bootstrap` that answers; retried while the coordinator is being set up. */
export async function findCoordinator(bootstrap: string, type: CoordinatorType, key: string, timeoutMs = DEFAULT_FIND_TIMEOUT_MS): Promise<number> {
  const brokers = bootstrap.split(',').filter(Boolean);
  let next = 0;
  const what = `the ${type} coordinator of ${JSON.stringify(key)} (FindCoordinator over ${bootstrap})`;
  try {
    return await waitUntil(what, async () => {
      const answer = await askFindCoordinator(brokers[next++ % brokers.length], type, key);
      if (answer.errorCode === 0) return answer.nodeId;
      const text = `Kafka error ${answer.errorCode}${answer.errorMessage ? ` (${answer.errorMessage})` : ''}`;
      if (RETRIABLE_ERRORS.has(answer.errorCode)) throw new Error(text);
      throw new StopWaiting(`${what}: ${text}`);
    }, { timeoutMs, intervalMs: 500 });
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError(`could not find ${what}`, { cause: error, hint: 'is the cluster up? the DIRECT listeners must answer' });
  }
}
