import type { StrategyName } from '../strategies/partition-strategy';
import type { KeyedPolicy } from './partition-router';

/**
 * The keyed policy the harness's mode 'resilient' uses per strategy:
 * - hashing → 'hold': key affinity is why an app hashes, so a key's messages wait for its
 *   partition's leader (on disk: the scenario's backlog) and are replayed there after the heal.
 * - manual → 'reroute': the app's partition is moved to a healthy one while its leader is
 *   unhealthy, as the seed's manual workaround does ("pick among the rest").
 * - round-robin → unkeyed, the policy does not apply ('reroute').
 */
export const HARNESS_KEYED_POLICY: Record<StrategyName, KeyedPolicy> = {
  'round-robin': 'reroute',
  hashing: 'hold',
  manual: 'reroute',
};
