import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../paths';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars } from './kafka-jars';
import { requireTool } from './required-tool';
import { runCommand } from './run-command';

/** One Java driver's source file; its class is the file's name. */
export interface JavaDriverSource {
  source: string;
  /** Names the cache folder: `<cache>/<folder>-<kafka version>-<source hash>/`. */
  folder: string;
  /** For the compile's error message, e.g. "the Java transactional driver". */
  what: string;
}

const compiled = new Map<string, Promise<string>>();

/**
 * The java command line of a driver compiled against the Kafka jars (KAFKA_HOME if set, else the
 * Maven cache): compiled once per Kafka version and source (its hash names the folder, so an edit
 * recompiles), into a scratch folder renamed into place so a half-done compile never looks done.
 */
export async function javaDriverCommandFor(driver: JavaDriverSource, jvmFlags: string[], kafkaVersion = DEFAULT_KAFKA_VERSION): Promise<{ command: string; args: string[] }> {
  const kafka = await ensureKafkaJars(kafkaVersion, (line) => process.stderr.write(`${line}\n`));
  const className = path.basename(driver.source, '.java');
  const key = `${driver.source}|${kafka.version}|${kafka.classpath}`;
  let driverDir = compiled.get(key);
  if (!driverDir) {
    driverDir = compile(driver, className, kafka.version, kafka.classpath);
    compiled.set(key, driverDir);
    driverDir.catch(() => compiled.delete(key)); // a failed compile is retried next time
  }
  return { command: 'java', args: [...jvmFlags, '-cp', `${await driverDir}${path.delimiter}${kafka.classpath}`, className] };
}

async function compile(driver: JavaDriverSource, className: string, version: string, classpath: string): Promise<string> {
  const hash = crypto.createHash('sha256').update(fs.readFileSync(driver.source)).digest('hex').slice(0, 12);
  const driverDir = path.join(cacheDir(), `${driver.folder}-${version}-${hash}`);
  const done = () => fs.existsSync(path.join(driverDir, `${className}.class`));
  if (done()) return driverDir;
  requireTool('java');
  const scratch = `${driverDir}.partial-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(scratch, { recursive: true });
  try {
    await runCommand('javac', ['-d', scratch, '-cp', classpath, '--release', '17', '-nowarn', driver.source], { what: `compiling ${driver.what} against Kafka ${version}` });
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
