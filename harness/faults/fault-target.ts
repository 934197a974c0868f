import { HarnessError } from '../errors';

/**
 * Fault targets: a broker ("k1") or a role resolved when the scenario starts: the leader of a
 * partition ("leaderOf(0)"), the coordinator of a consumer group ("groupCoordinatorOf(orders)") or
 * of a transactional id ("transactionCoordinatorOf(tx-1)"), for consumer and transaction scenarios.
 */
export const COORDINATOR_TYPES = ['group', 'transaction'] as const;
export type CoordinatorType = (typeof COORDINATOR_TYPES)[number];

export type ParsedTarget =
  | { role: 'broker'; id: number }
  | { role: 'leader'; partition: number }
  | { role: 'coordinator'; type: CoordinatorType; key: string };

/** Brokers found for coordinator targets at scenario start, keyed by the target as written. */
export type CoordinatorTable = Readonly<Record<string, number>>;

const BROKER = /^k([1-9]\d*)$/;
const LEADER = /^leaderOf\((\d+)\)$/;
const COORDINATOR = /^(group|transaction)CoordinatorOf\((.+)\)$/;

/** The examples every target error shows. */
export const TARGET_EXAMPLES = '"k1", "leaderOf(0)", "groupCoordinatorOf(my-group)" or "transactionCoordinatorOf(my-txn)"';

export function parseTarget(target: string): ParsedTarget | undefined {
  const broker = BROKER.exec(target);
  if (broker) return { role: 'broker', id: Number(broker[1]) };
  const leader = LEADER.exec(target);
  if (leader) return { role: 'leader', partition: Number(leader[1]) };
  const coordinator = COORDINATOR.exec(target);
  if (coordinator) return { role: 'coordinator', type: coordinator[1] as CoordinatorType, key: coordinator[2] };
  return undefined;
}

export function isValidTarget(target: string): boolean {
  return parseTarget(target) !== undefined;
}

/** Resolves a target to a broker id, given the leaders at scenario start and the coordinators found then. */
export function resolveTarget(target: string, leaders: Record<number, number>, coordinators: CoordinatorTable = {}): number {
  const parsed = parseTarget(target);
  if (!parsed) throw new HarnessError(`fault target ${JSON.stringify(target)} is not a target`, { hint: `use ${TARGET_EXAMPLES}` });
  if (parsed.role === 'broker') return parsed.id;
  if (parsed.role === 'leader') {
    const leader = leaders[parsed.partition];
    if (leader === undefined) throw new HarnessError(`fault target ${target}: partition ${parsed.partition} has no leader`, { hint: 'name a partition of the scenario\'s topic (0, 1 or 2)' });
    return leader;
  }
  const coordinator = coordinators[target];
  if (coordinator === undefined) {
    throw new HarnessError(`fault target ${target}: the ${parsed.type} coordinator of ${JSON.stringify(parsed.key)} was not looked up`, {
      hint: 'coordinator targets are resolved when the fault schedule starts (FaultSchedule.start); pass its coordinators() here',
    });
  }
  return coordinator;
}

/** The coordinator targets among `targets`, each once. */
export function coordinatorTargets(targets: readonly string[]): Array<{ target: string; type: CoordinatorType; key: string }> {
  const found = new Map<string, { target: string; type: CoordinatorType; key: string }>();
  for (const target of targets) {
    const parsed = parseTarget(target);
    if (parsed?.role === 'coordinator') found.set(target, { target, type: parsed.type, key: parsed.key });
  }
  return [...found.values()];
}
