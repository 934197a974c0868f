import path from 'node:path';
import { packageRoot } from '../package-root';
import { javaDriverCommandFor } from '../provision/compile-java-driver';
import { DEFAULT_KAFKA_VERSION } from '../provision/kafka-jars';

/** The consumer driver's source (beside the producer driver); its hash names the compiled folder. */
export const JAVA_CONSUMER_DRIVER_SOURCE = path.join(packageRoot(), 'java', 'KchaosConsumerDriver.java');
/** One scenario's consumer: a fast start matters more than peak speed (as for the producer driver). */
const JVM_FLAGS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * The java command line of java/KchaosConsumerDriver.java, compiled once per Kafka version and source
 * into `<cache>/java-consumer-driver-<version>-<hash>/` (compile-java-driver.ts); its first argument
 * is to be appended.
 */
export function javaConsumerCommand(kafkaVersion = DEFAULT_KAFKA_VERSION): Promise<{ command: string; args: string[] }> {
  return javaDriverCommandFor({ source: JAVA_CONSUMER_DRIVER_SOURCE, folder: 'java-consumer-driver', what: 'the Java consumer driver' }, JVM_FLAGS, kafkaVersion);
}
