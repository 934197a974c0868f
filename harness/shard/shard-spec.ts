import { HarnessError } from '../errors';

/** One machine's share of a run: shard `index` of `total` (1-based, as CI matrices count). */
export interface ShardSpec {
  index: number;
  total: number;
}

const SHARD_FIX = 'give --shard i/n with whole numbers 1 <= i <= n, e.g. --shard 1/4 (in a GitHub Actions matrix: --shard ${{ matrix.shard }}/4)';

/** `"2/4"` → { index: 2, total: 4 }; anything else is one usage error naming --shard and the fix. */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new HarnessError(`--shard ${JSON.stringify(text)} is not of the form i/n`, { hint: SHARD_FIX });
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (total < 1) throw new HarnessError(`--shard ${text}: n must be at least 1`, { hint: SHARD_FIX });
  if (index < 1 || index > total) throw new HarnessError(`--shard ${text}: i must be between 1 and ${total}`, { hint: SHARD_FIX });
  return { index, total };
}
