import { Kafka, logLevel } from 'kafkajs';

/** Broker ids that the broker at `direct` (and only it) reports as live; throws while it does not answer. */
export async function liveBrokerIdsSeenBy(direct: string): Promise<number[]> {
  const admin = new Kafka({ clientId: 'kchaos-restart-probe', brokers: [direct], logLevel: logLevel.NOTHING, connectionTimeout: 1_000, requestTimeout: 2_000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    return brokers.map((b) => b.nodeId);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
