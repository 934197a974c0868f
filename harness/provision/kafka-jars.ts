import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors';
import { cacheDir } from '../paths';
import { requireTool } from './required-tool';
import { runCommand } from './run-command';

/**
 * Newest 4.x whose full artifact set is on Maven Central (4.4.0 lacks kafka-tools and
 * kafka-tools-api there, so kafka_2.13:4.4.0 does not resolve).
 */
export const DEFAULT_KAFKA_VERSION = '4.3.1';
const SUPPORTED_VERSION = /^(4\.\d+\.\d+|3\.9\.\d+)$/;

export interface KafkaInstall {
  version: string;
  /** Java classpath holding the broker, the tools and the logging backend. */
  classpath: string;
  /** Which log configuration flavour the broker reads. */
  logging: 'log4j2' | 'reload4j';
  source: 'KAFKA_HOME' | 'maven-cache';
}

export function validateKafkaVersion(version: string): string {
  if (!SUPPORTED_VERSION.test(version)) {
    throw new HarnessError(`--kafka-version ${JSON.stringify(version)} is not supported`, {
      hint: `use a 4.x release (default ${DEFAULT_KAFKA_VERSION}) or 3.9.x`,
    });
  }
  return version;
}

function loggingFor(version: string): KafkaInstall['logging'] {
  return version.startsWith('3.') ? 'reload4j' : 'log4j2';
}

/** The pom Maven resolves: broker, tools (perf test, storage tool) and the logging backend. */
function pomFor(version: string): string {
  const logging =
    loggingFor(version) === 'log4j2'
      ? dep('org.apache.logging.log4j', 'log4j-slf4j-impl', '2.25.4')
      : dep('org.slf4j', 'slf4j-reload4j', '1.7.36');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kafka-chaos-harness</groupId><artifactId>kafka-jars</artifactId><version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', version)}
    ${dep('org.apache.kafka', 'kafka-tools', version)}
    ${logging}
  </dependencies>
</project>
`;
}

function dep(groupId: string, artifactId: string, version: string): string {
  return `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
}

/** KAFKA_HOME wins; otherwise the jars are fetched once by Maven into the cache. */
export async function ensureKafkaJars(version: string, log: (line: string) => void): Promise<KafkaInstall> {
  const kafkaHome = process.env.KAFKA_HOME;
  if (kafkaHome) {
    const libs = path.join(kafkaHome, 'libs');
    if (!fs.existsSync(libs)) {
      throw new HarnessError(`KAFKA_HOME=${kafkaHome} has no libs/ folder`, {
        hint: 'point KAFKA_HOME at an unpacked Kafka distribution, or unset it to use the Maven cache',
      });
    }
    const jar = fs.readdirSync(libs).find((name) => /^kafka_2\.1\d-(.+)\.jar$/.test(name));
    const homeVersion = jar?.replace(/^kafka_2\.1\d-/, '').replace(/\.jar$/, '') ?? version;
    return { version: homeVersion, classpath: path.join(libs, '*'), logging: loggingFor(homeVersion), source: 'KAFKA_HOME' };
  }

  validateKafkaVersion(version);
  const home = path.join(cacheDir(), `kafka-${version}`);
  const libs = path.join(home, 'libs');
  const done = path.join(home, '.complete');
  const install: KafkaInstall = { version, classpath: path.join(libs, '*'), logging: loggingFor(version), source: 'maven-cache' };
  if (fs.existsSync(done)) return install;

  requireTool('java');
  requireTool('mvn', '-v');
  log(`setup: fetching Kafka ${version} jars with Maven into ${libs} (once; about 55 MB)`);
  // Fetch into a scratch folder and rename, so an interrupted fetch never looks complete.
  const scratch = `${home}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  fs.writeFileSync(path.join(scratch, 'pom.xml'), pomFor(version));
  await runCommand(
    'mvn',
    ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${path.join(scratch, 'libs')}`],
    { cwd: scratch, what: `fetching Kafka ${version} with Maven` },
  );
  fs.writeFileSync(path.join(scratch, '.complete'), new Date().toISOString());
  fs.rmSync(home, { recursive: true, force: true });
  fs.renameSync(scratch, home);
  log(`setup: Kafka ${version} ready (${fs.readdirSync(libs).length} jars)`);
  return install;
}
