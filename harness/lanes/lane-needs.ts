import { isProcessFault } from '../faults/fault-spec';
import { scenarioSlug } from '../run-folder';
import type { Scenario } from '../../scenarios/scenario';

/** The topic min.insync.replicas every scenario gets unless it asks otherwise (scenarios/scenario.ts). */
const DEFAULT_MIN_INSYNC_REPLICAS = 2;

/** Where a scenario can run: in a lane beside others, or alone on the whole cluster, and why. */
export type LaneNeed = { kind: 'lane' } | { kind: 'exclusive'; reason: string };

/**
 * A scenario takes the whole cluster when what it does reaches beyond its own lane's links:
 * - a process fault stops, kills or pauses a broker every lane talks to;
 * - a replication-link fault shrinks the ISR of every topic the broker leads;
 * - min.insync.replicas other than 2, or unclean leader election: the outcome is about the ISR,
 *   whose shrinking and catching up hinge on replication timing that other lanes' load shifts;
 * - the transactions room: every scenario uses one transactional.id, so two at once fence each other;
 * - the consumer room: group ids are stamped by the millisecond, so two at once could share a group.
 * Everything else (link and packet faults on the client link, no fault) runs in a lane.
 */
export function laneNeed(scenario: Scenario): LaneNeed {
  const process = scenario.faults.find((f) => isProcessFault(f.kind));
  if (process) return { kind: 'exclusive', reason: `process fault ${process.kind} on ${process.target}` };
  const replication = scenario.faults.find((f) => f.link === 'replication');
  if (replication) return { kind: 'exclusive', reason: `${replication.kind} on ${replication.target}'s replication link` };
  if (scenario.config.minInsyncReplicas !== DEFAULT_MIN_INSYNC_REPLICAS) return { kind: 'exclusive', reason: `min.insync.replicas=${scenario.config.minInsyncReplicas}` };
  if (scenario.config.uncleanLeaderElection) return { kind: 'exclusive', reason: 'unclean leader election' };
  if (scenario.transactions) return { kind: 'exclusive', reason: `transactions (transactional.id ${scenario.transactions.transactionalId} is shared)` };
  if (scenario.consumer) return { kind: 'exclusive', reason: 'consumer room (group ids are stamped per millisecond)' };
  return { kind: 'lane' };
}

/**
 * Two scenarios with the same key never run at once: the key is the scenario's folder and the
 * stem of its topic name (`kchaos-<slug>-<ms>`), so a scenario named twice in one run can neither
 * share a folder with itself nor, started in the same millisecond, a topic.
 */
export function conflictKey(scenario: Scenario): string {
  return scenarioSlug(scenario.name);
}
