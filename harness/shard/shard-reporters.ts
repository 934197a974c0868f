import type { Reporter } from '../../reports/reporter';
import type { ShardInfo } from './shard-plan';

/**
 * The reporters of a sharded run, each seeing `run.shard` in the results it writes, so that
 * `kchaos merge` can check the shards fit together. Done by wrapping rather than in the runner:
 * the runner does not need to know about machines it does not run on.
 */
export function withShardInfo(reporters: readonly Reporter[], shard: ShardInfo): Reporter[] {
  return reporters.map((reporter) => ({
    name: reporter.name,
    onRunStart: reporter.onRunStart?.bind(reporter),
    onScenarioStart: reporter.onScenarioStart?.bind(reporter),
    onScenarioPhase: reporter.onScenarioPhase?.bind(reporter),
    onScenarioEnd: reporter.onScenarioEnd?.bind(reporter),
    onRunEnd: reporter.onRunEnd && ((results, runDir) => {
      results.run.shard = shard;
      return reporter.onRunEnd!.call(reporter, results, runDir);
    }),
  }));
}
