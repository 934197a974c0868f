import type { HistoryOp } from './history/history-types';
import type { TimelineBucket } from '../reports/results-types';

/** Sends, acks and errors per second per partition ("?" when the client chose and never said). */
export function buildTimeline(ops: readonly HistoryOp[]): TimelineBucket[] {
  const buckets = new Map<string, TimelineBucket>();
  const bucket = (timeMs: number, partition: number | null | undefined) => {
    const second = Math.floor(timeMs / 1000);
    const name = partition === null || partition === undefined || partition < 0 ? '?' : String(partition);
    const id = `${second}/${name}`;
    let found = buckets.get(id);
    if (!found) buckets.set(id, (found = { second, partition: name, sends: 0, acks: 0, errors: 0 }));
    return found;
  };
  for (const op of ops) {
    if (op.f !== 'send') continue;
    const value = op.value as { partition?: number | null };
    if (op.type === 'invoke') bucket(op.timeMs, value.partition).sends++;
    else if (op.type === 'ok') bucket(op.timeMs, value.partition).acks++;
    else bucket(op.timeMs, value.partition).errors++;
  }
  return [...buckets.values()].sort((a, b) => a.second - b.second || a.partition.localeCompare(b.partition));
}
