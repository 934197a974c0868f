import { ensureBrokerClassArchive } from './broker-class-archive';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars, KafkaInstall } from './kafka-jars';
import { ensureToxiproxy } from './toxiproxy-binary';

export interface Provisioned {
  kafka: KafkaInstall;
  toxiproxyServer: string;
  /** Class-data archive the broker JVMs map (broker-class-archive.ts); undefined: they start without. */
  brokerClassArchive?: string;
}

/** `kchaos setup`, and the first step of every local cluster start. Idempotent and fast when cached. */
export async function setup(
  options: { kafkaVersion?: string; log?: (line: string) => void } = {},
): Promise<Provisioned> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // One after the other: a missing go (or mvn) then fails before the other download has begun,
  // so an error never leaves a half-fetched cache behind.
  const toxiproxyServer = await ensureToxiproxy(log);
  const kafka = await ensureKafkaJars(options.kafkaVersion ?? DEFAULT_KAFKA_VERSION, log);
  const brokerClassArchive = await ensureBrokerClassArchive(kafka, log);
  return { kafka, toxiproxyServer, ...(brokerClassArchive ? { brokerClassArchive } : {}) };
}
