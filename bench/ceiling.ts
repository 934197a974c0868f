import type { StartedCluster } from '../harness/cluster/started-cluster';
import { HarnessError } from '../harness/errors';
import { ensureKafkaJars } from '../harness/provision/kafka-jars';
import { runCommand } from '../harness/provision/run-command';

/**
 * Kafka's own producer performance tool (org.apache.kafka.tools.ProducerPerformance from the
 * cached jars) against the same proxies: the ceiling our clients are compared with.
 */
export async function kafkaPerfThroughput(cluster: StartedCluster, topic: string, records: number): Promise<number> {
  const kafka = await ensureKafkaJars(cluster.kafkaVersion, () => {});
  const output = await runCommand('java', [
    '-Xmx512m', '-cp', kafka.classpath, 'org.apache.kafka.tools.ProducerPerformance',
    '--topic', topic, '--num-records', String(records), '--record-size', '100', '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${cluster.proxiedBootstrap}`, 'acks=all', 'linger.ms=0',
  ], { what: 'Kafka ProducerPerformance' });
  // Last summary line: "100000 records sent, 45000.1 records/sec (4.29 MB/sec), …"
  const match = [...output.matchAll(/(\d+) records sent, ([\d.]+) records\/sec/g)].pop();
  if (!match) throw new HarnessError(`could not read ProducerPerformance output:\n${output.slice(-500)}`);
  return Number(match[2]);
}
