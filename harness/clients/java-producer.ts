import path from 'node:path';
import { packageRoot } from '../package-root';
import { javaDriverCommandFor } from '../provision/compile-java-driver';
import { DEFAULT_KAFKA_VERSION } from '../provision/kafka-jars';
import { lineProtocolProducer } from './line-protocol-producer';
import { ProducerFactory } from './producer-under-test';

/** The driver's source; its hash names the compiled folder, so an edit recompiles. */
export const JAVA_DRIVER_SOURCE = path.join(packageRoot(), 'java', 'KchaosProducerDriver.java'); // sources or dist/ alike
const DRIVER_CLASS = 'KchaosProducerDriver';
/**
 * A small heap and C1 only: the driver holds a few hundred messages and lives for one scenario, so
 * a fast start matters more than peak speed.
 */
const JVM_FLAGS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Dlog4j2.level=WARN'];

/** The java command line of the driver, compiled once per Kafka version and source (compile-java-driver.ts). */
function javaProducerCommand(kafkaVersion = DEFAULT_KAFKA_VERSION): Promise<{ command: string; args: string[] }> {
  return javaDriverCommandFor({ source: JAVA_DRIVER_SOURCE, folder: 'java-driver', what: 'the Java producer driver' }, JVM_FLAGS, kafkaVersion);
}

/**
 * A Java producer factory for one Kafka client version (KAFKA_HOME wins, as for the brokers).
 * `logFile` receives the driver's stderr: its effective producer config and kafka-clients warnings.
 */
export function javaProducerFactory(options: { kafkaVersion?: string; logFile?: string } = {}): ProducerFactory {
  return (bootstrap, topic, settings) =>
    lineProtocolProducer(() => javaProducerCommand(options.kafkaVersion), bootstrap, topic, settings, {
      client: 'java',
      logFile: options.logFile,
      marker: DRIVER_CLASS,
    });
}

/**
 * The Java kafka-clients producer (java/KchaosProducerDriver.java) as a child process speaking
 * docs/producer-protocol.md; the driver is compiled on first use.
 */
export const createJavaProducer: ProducerFactory = javaProducerFactory();
