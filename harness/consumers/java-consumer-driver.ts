import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../paths';
import { packageRoot } from '../package-root';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars } from '../provision/kafka-jars';
import { requireTool } from '../provision/required-tool';
import { runCommand } from '../provision/run-command';

/** The consumer driver's source (beside the producer driver); its hash names the compiled folder. */
export const JAVA_CONSUMER_DRIVER_SOURCE = path.join(packageRoot(), 'java', 'KchaosConsumerDriver.java');
const DRIVER_CLASS = 'KchaosConsumerDriver';
/** One scenario's consumer: a fast start matters more than peak speed (as for the producer driver). */
const JVM_FLAGS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

const compiled = new Map<string, Promise<string>>();

/**
 * Compiles java/KchaosConsumerDriver.java once per Kafka version and source into
 * `<cache>/java-consumer-driver-<version>-<hash>/` (scratch folder first, then renamed, so a half-done
 * compile never looks done) against the Kafka jars (KAFKA_HOME if set, else the Maven cache).
 * Resolves to the java command line, its first argument to be appended.
 */
export async function javaConsumerCommand(kafkaVersion = DEFAULT_KAFKA_VERSION): Promise<{ command: string; args: string[] }> {
  const kafka = await ensureKafkaJars(kafkaVersion, (line) => process.stderr.write(`${line}\n`));
  const key = `${kafka.version}|${kafka.classpath}`;
  let driverDir = compiled.get(key);
  if (!driverDir) {
    driverDir = compile(kafka.version, kafka.classpath);
    compiled.set(key, driverDir);
    driverDir.catch(() => compiled.delete(key)); // a failed compile is retried next time
  }
  return { command: 'java', args: [...JVM_FLAGS, '-cp', `${await driverDir}${path.delimiter}${kafka.classpath}`, DRIVER_CLASS] };
}

async function compile(version: string, classpath: string): Promise<string> {
  const hash = crypto.createHash('sha256').update(fs.readFileSync(JAVA_CONSUMER_DRIVER_SOURCE)).digest('hex').slice(0, 12);
  const driverDir = path.join(cacheDir(), `java-consumer-driver-${version}-${hash}`);
  const done = () => fs.existsSync(path.join(driverDir, `${DRIVER_CLASS}.class`));
  if (done()) return driverDir;
  requireTool('java');
  const scratch = `${driverDir}.partial-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(scratch, { recursive: true });
  try {
    await runCommand('javac', ['-d', scratch, '-cp', classpath, '--release', '17', '-nowarn', JAVA_CONSUMER_DRIVER_SOURCE], {
      what: `compiling the Java consumer driver against Kafka ${version}`,
    });
    try {
      fs.renameSync(scratch, driverDir);
    } catch (error) {
      if (!done()) throw error; // another harness compiled the same source meanwhile: use theirs
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return driverDir;
}
