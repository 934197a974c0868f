/**
 * Fetch from follower (KIP-392): broker k<n> sits in rack r<n>, and the leader picks a consumer's
 * read replica with Kafka's RackAwareReplicaSelector. A consumer that names its rack (client.rack;
 * kafkajs: rackId) is told by the partition's leader, in a fetch response, to fetch from the
 * replica in its rack; a consumer that names none is always served by the leader (the selector
 * returns the leader for an empty rack), so every other scenario behaves as before.
 *
 * Opt-in per cluster: a local cluster started with KCHAOS_BROKER_RACKS=1 in the environment gets
 * them (brokerProperties); others get none, so their broker settings stay equal to the docker
 * backend's and docker-compose.yml's (generated from brokerSettings, checked equal by a test).
 * Replica placement is unchanged either way: the harness creates its topics with an explicit
 * replica assignment (replica-assignment.ts) and the internal topics have RF 3 on 3 brokers, so
 * with one broker per rack every partition has one replica in each rack and the same leader.
 */
export const RACK_AWARE_REPLICA_SELECTOR = 'org.apache.kafka.common.replica.RackAwareReplicaSelector';

/** The rack of broker `id`: r1, r2, r3. */
export function rackOf(brokerId: number): string {
  return `r${brokerId}`;
}

/** The environment switch: set to 1 before the cluster starts. */
export const BROKER_RACKS_ENV = 'KCHAOS_BROKER_RACKS';

/** The rack settings of one broker (merged into its properties by broker-config.ts); none unless switched on. */
export function rackSettings(brokerId: number, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env[BROKER_RACKS_ENV] !== '1') return {};
  return { 'broker.rack': rackOf(brokerId), 'replica.selector.class': RACK_AWARE_REPLICA_SELECTOR };
}
