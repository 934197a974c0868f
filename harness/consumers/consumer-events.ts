import type { ConsumedRecord, OffsetPosition } from './consumer-under-test';

/**
 * What a consumer under test reports, one JSON object per line on its stdout (the child-process
 * host, harness/consumers/consumer-child.ts, writes them; the parent records each as history ops
 * the moment it arrives). docs/consumer-protocol.md documents the same lines for a team's own
 * consumer.
 */
export type ConsumerEvent =
  /** start() resolved: the library is connected and subscribed. */
  | { e: 'ready' }
  | { e: 'assigned'; partitions: number[]; generation: number | null }
  | { e: 'revoked'; partitions: number[]; generation: number | null }
  /** A batch the library handed to the application (one record for eachMessage). */
  | { e: 'poll'; records: ConsumedRecord[] }
  /** The application starts / finishes processing one record. */
  | { e: 'process'; phase: 'invoke' | 'ok'; record: ConsumedRecord }
  /**
   * A commit: `auto` when the library made it on its own (timer, threshold, close). An application
   * commit is an invoke then ok / fail / info (info: the library could not tell, e.g. a timeout).
   */
  | { e: 'commit'; phase: 'invoke' | 'ok' | 'fail' | 'info'; id: number; offsets: OffsetPosition[]; auto: boolean; error?: string }
  | { e: 'error'; message: string }
  /** close() finished: the child exits next. */
  | { e: 'closed' };

/** A commit error that does not prove the commit was refused (the request may have been applied). */
export function commitErrorIsUnknown(error: string): boolean {
  return /timed? ?out|timeout|transport|disconnect|destroyed|closed/i.test(error);
}
