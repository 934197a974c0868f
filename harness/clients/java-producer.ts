import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../paths';
import { packageRoot } from '../package-root';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars } from '../provision/kafka-jars';
import { requireTool } from '../provision/required-tool';
import { runCommand } from '../provision/run-command';
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

export interface JavaDriver {
  /** Folder holding KchaosProducerDriver.class. */
  driverDir: string;
  /** The Kafka jars (kafka-clients and jackson among them). */
  kafkaClasspath: string;
  kafkaVersion: string;
}

const compiled = new Map<string, Promise<JavaDriver>>();

/**
 * Compiles the driver once per Kafka version and source into `<cache>/java-driver-<version>-<hash>/`
 * (into a scratch folder first, then renamed, so a half-done compile never looks done). The Kafka
 * jars come from ensureKafkaJars: KAFKA_HOME if set, else the Maven cache.
 */
export function ensureJavaDriver(kafkaVersion = DEFAULT_KAFKA_VERSION, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<JavaDriver> {
  const key = `${kafkaVersion}|${process.env.KAFKA_HOME ?? ''}`;
  let driver = compiled.get(key);
  if (!driver) {
    driver = compileDriver(kafkaVersion, log);
    compiled.set(key, driver);
    driver.catch(() => compiled.delete(key)); // a failed compile is retried next time
  }
  return driver;
}

async function compileDriver(kafkaVersion: string, log: (line: string) => void): Promise<JavaDriver> {
  const kafka = await ensureKafkaJars(kafkaVersion, log);
  const source = fs.readFileSync(JAVA_DRIVER_SOURCE);
  const hash = crypto.createHash('sha256').update(source).digest('hex').slice(0, 12);
  const driverDir = path.join(cacheDir(), `java-driver-${kafka.version}-${hash}`);
  const driver: JavaDriver = { driverDir, kafkaClasspath: kafka.classpath, kafkaVersion: kafka.version };
  if (fs.existsSync(path.join(driverDir, `${DRIVER_CLASS}.class`))) return driver;

  requireTool('java');
  const scratch = `${driverDir}.partial-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(scratch, { recursive: true });
  try {
    const startedMs = Date.now();
    await runCommand('javac', ['-d', scratch, '-cp', kafka.classpath, '--release', '17', '-nowarn', JAVA_DRIVER_SOURCE], {
      what: `compiling the Java producer driver against Kafka ${kafka.version}`,
    });
    try {
      fs.renameSync(scratch, driverDir);
      log(`setup: compiled the Java producer driver into ${driverDir} (${Date.now() - startedMs} ms)`);
    } catch (error) {
      // Another harness compiled the same source meanwhile: use theirs.
      if (!fs.existsSync(path.join(driverDir, `${DRIVER_CLASS}.class`))) throw error;
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return driver;
}

/** The java command line for a compiled driver. */
export function javaDriverCommand(driver: JavaDriver): { command: string; args: string[] } {
  return { command: 'java', args: [...JVM_FLAGS, '-cp', `${driver.driverDir}${path.delimiter}${driver.kafkaClasspath}`, DRIVER_CLASS] };
}

/**
 * A Java producer factory for one Kafka client version (KAFKA_HOME wins, as for the brokers).
 * `logFile` receives the driver's stderr: its effective producer config and kafka-clients warnings.
 */
export function javaProducerFactory(options: { kafkaVersion?: string; logFile?: string } = {}): ProducerFactory {
  return (bootstrap, topic, settings) =>
    lineProtocolProducer(async () => javaDriverCommand(await ensureJavaDriver(options.kafkaVersion)), bootstrap, topic, settings, {
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
