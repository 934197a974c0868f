import { DEFAULT_KAFKA_VERSION, ensureKafkaJars, KafkaInstall } from './kafka-jars';
import { ensureToxiproxy } from './toxiproxy-binary';

export interface Provisioned {
  kafka: KafkaInstall;
  toxiproxyServer: string;
}

/** `kchaos setup`, and the first step of every local cluster start. Idempotent and fast when cached. */
export async function setup(
  options: { kafkaVersion?: string; log?: (line: string) => void } = {},
): Promise<Provisioned> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const [kafka, toxiproxyServer] = await Promise.all([
    ensureKafkaJars(options.kafkaVersion ?? DEFAULT_KAFKA_VERSION, log),
    ensureToxiproxy(log),
  ]);
  return { kafka, toxiproxyServer };
}
