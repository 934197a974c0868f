import type { Reporter } from '../../reports/reporter';
import type { Scenario } from '../../scenarios/scenario';
import { selectShard } from './shard-plan';
import { parseShard } from './shard-spec';
import { withShardInfo } from './shard-reporters';

/**
 * `kchaos run … --shard i/n`: the scenarios this machine runs and how its reporters are wrapped
 * (to record the shard in results.json). Without --shard: the whole plan, reporters unchanged.
 * A bad value is a usage error before any run folder or cluster exists.
 */
export function shardOfPlan(plan: Scenario[], shardOption: string | undefined, log: (line: string) => void): { scenarios: Scenario[]; wrapReporters: (reporters: Reporter[]) => Reporter[] } {
  if (shardOption === undefined) return { scenarios: plan, wrapReporters: (reporters) => reporters };
  const { scenarios, info } = selectShard(plan, parseShard(shardOption));
  log(`kchaos: shard ${info.index}/${info.total}: ${scenarios.length} of ${info.planScenarios} scenario(s) (plan ${info.planDigest}); merge the shards' run folders with kchaos merge`);
  return { scenarios, wrapReporters: (reporters) => withShardInfo(reporters, info) };
}
