import { readHistory, readObserved } from '../history/jsonl-files';
import type { HistoryOp, ObservedRecord } from '../history/history-types';
import type { ConsumerCheckResult } from './consumer-check-types';
import { checkConsumers, hasConsumerOps } from './consumer-checker';

/**
 * The consumer checker over archived files (kchaos check's path): undefined when the history holds
 * no consumer op (a producer scenario). Reads both files whole: a consumer history is small (one
 * line per poll, process and commit of a few thousand records).
 */
export async function checkConsumerFiles(historyPath: string, observedPath: string): Promise<ConsumerCheckResult | undefined> {
  const ops: HistoryOp[] = [];
  for await (const op of readHistory(historyPath)) ops.push(op);
  if (!hasConsumerOps(ops)) return undefined;
  const observed: ObservedRecord[] = [];
  for await (const record of readObserved(observedPath)) observed.push(record);
  return checkConsumers(ops, observed);
}

/** The human lines `kchaos check` adds for a consumer history. */
export function formatConsumerCheck(result: ConsumerCheckResult): string[] {
  const names = Object.keys(result.counts) as Array<keyof ConsumerCheckResult['counts']>;
  const width = Math.max(...names.map((n) => n.length));
  const stalls = Object.entries(result.stallMsByPartition).map(([p, ms]) => `p${p} ${ms} ms`).join(', ');
  return ['consumer counts', ...names.map((n) => `  ${n.padEnd(width)}  ${result.counts[n]}`), `longest stall per partition   ${stalls || 'none'}`];
}
