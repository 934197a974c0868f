import crypto from 'node:crypto';
import type { ShardSpec } from './shard-spec';

/** What results.json records about a shard, so `kchaos merge` can tell whether the shards fit together. */
export interface ShardInfo extends ShardSpec {
  /** Scenarios in the whole plan, every shard together (before --repeat). */
  planScenarios: number;
  /** sha256 (first 16 hex) of the whole plan's sorted scenario names: equal on every machine that split the same plan. */
  planDigest: string;
}

/** Names compared by UTF-16 code units: the same order on every machine and locale. */
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The scenarios of shard `index` of `total`: the plan sorted by name (so the order the arguments or
 * suites were given in does not matter), cut into `total` contiguous runs whose sizes differ by at
 * most one. Every scenario lands in exactly one shard, on every machine. --repeat applies after the
 * split, so a scenario's repeats stay together on one machine (its repeat summary stays whole).
 */
export function selectShard<T extends { name: string }>(plan: readonly T[], shard: ShardSpec): { scenarios: T[]; info: ShardInfo } {
  const sorted = [...plan].sort(byName);
  const from = Math.floor(((shard.index - 1) * sorted.length) / shard.total);
  const to = Math.floor((shard.index * sorted.length) / shard.total);
  return { scenarios: sorted.slice(from, to), info: { ...shard, planScenarios: sorted.length, planDigest: planDigest(sorted) } };
}

/** A short fingerprint of a plan's scenario names (order-independent). */
export function planDigest(plan: readonly { name: string }[]): string {
  const names = plan.map((s) => s.name).sort();
  return crypto.createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16);
}
