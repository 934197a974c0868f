import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors';
import { cacheDir } from '../paths';
import { DEFAULT_KAFKA_VERSION, ensureKafkaJars } from '../provision/kafka-jars';
import { requireTool } from '../provision/required-tool';
import { runCommand } from '../provision/run-command';
import { TOXIPROXY_VERSION } from '../provision/toxiproxy-binary';
import { dockerEngineAnswers } from '../cluster/start-cluster';
import { elfFilesOf, findJdk, findStaticBusybox, HostJdk, sharedLibraries } from './host-runtime';
import { localKafkaImage, localToxiproxyImage } from './image-names';
import { imageInputsLabel, INPUTS_LABEL, recipeDigest, type ImageRecipe } from './image-inputs';
import {
  DEFAULT_CONFIGS_DIR, defaultServerProperties, FINAL_CONFIGS_DIR, JAVA_HOME_IN_IMAGE, KAFKA_HOME_IN_IMAGE, kafkaDockerfile,
  log4j2Yaml, MOUNTED_CONFIGS_DIR, RUN_SCRIPT, runScript, toxiproxyDockerfile,
} from './kafka-image-files';

/**
 * `kchaos docker build-images`: the Kafka and Toxiproxy images built on this machine from what the
 * local backend already fetches (Kafka's jars from Maven, Toxiproxy from the Go module proxy), for
 * engines that cannot pull. Nothing is downloaded from a container registry: both images are
 * FROM scratch. Kafka's holds a JRE cut with jlink from the host's JDK, the shared libraries ldd
 * names for it, a static busybox and the jars; Toxiproxy's the static binary (CGO off).
 */

/** Modules the broker and KafkaDockerWrapper load (JMX, SASL/GSSAPI, JNDI for LDAP-less configs, zipfs for jars). */
export const JRE_MODULES = [
  'java.base', 'java.desktop', 'java.instrument', 'java.logging', 'java.management', 'java.management.rmi', 'java.naming',
  'java.net.http', 'java.rmi', 'java.scripting', 'java.security.jgss', 'java.security.sasl', 'java.sql', 'java.transaction.xa',
  'java.xml', 'jdk.crypto.ec', 'jdk.jfr', 'jdk.management', 'jdk.management.agent', 'jdk.naming.dns', 'jdk.security.auth',
  'jdk.unsupported', 'jdk.zipfs',
];

export interface BuildImagesOptions {
  /** @default DEFAULT_KAFKA_VERSION */
  kafkaVersion?: string;
  /** @default localKafkaImage(kafkaVersion) */
  kafkaImage?: string;
  /** @default localToxiproxyImage() */
  toxiproxyImage?: string;
  /** Rebuild even when an image with the tag was built from today's inputs. @default false */
  force?: boolean;
  log?: (line: string) => void;
}

export interface BuiltImages {
  kafkaImage: string;
  toxiproxyImage: string;
}

/** The module the local backend's Toxiproxy is built from (provision/toxiproxy-binary.ts), here with CGO off. */
const TOXIPROXY_MODULE = 'github.com/Shopify/toxiproxy/v2/cmd/server';
const imagesDir = () => path.join(cacheDir(), 'docker-images');

export async function buildImages(options: BuildImagesOptions = {}): Promise<BuiltImages> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
  const kafkaImage = options.kafkaImage ?? localKafkaImage(kafkaVersion);
  const toxiproxyImage = options.toxiproxyImage ?? localToxiproxyImage();
  if (!(await dockerEngineAnswers())) {
    throw new HarnessError('kchaos docker build-images: no Docker engine answers `docker info`', {
      hint: 'start one (as root: dockerd > /var/log/dockerd.log 2>&1 &; Debian: apt-get install -y docker.io), then run this again',
    });
  }
  const startedAtMs = Date.now();
  const step = (text: string) => log(`build-images: ${text} (${((Date.now() - startedAtMs) / 1000).toFixed(0)} s)`);

  const toxiproxyRecipe = toxiproxyImageRecipe();
  if (!(await keptImage(toxiproxyImage, toxiproxyRecipe, options.force, step))) await buildToxiproxyImage(toxiproxyImage, recipeDigest(toxiproxyRecipe), step);

  const kafka = await kafkaImageInputs(kafkaVersion, step);
  const kafkaRecipe = kafkaImageRecipe(kafka);
  if (!(await keptImage(kafkaImage, kafkaRecipe, options.force, step))) await buildKafkaImage(kafka, kafkaImage, recipeDigest(kafkaRecipe), step);

  step(`done: ${kafkaImage} and ${toxiproxyImage}`);
  return { kafkaImage, toxiproxyImage };
}

/** Whether the image under `tag` was built from `recipe` (its inputs label matches), said in the log either way. */
async function keptImage(tag: string, recipe: ImageRecipe, force: boolean | undefined, step: (text: string) => void): Promise<boolean> {
  if (force) return false;
  const label = await imageInputsLabel(tag);
  const digest = recipeDigest(recipe);
  if (label === digest) {
    step(`${tag} exists, built from these inputs (${INPUTS_LABEL}=${digest}; --force rebuilds it)`);
    return true;
  }
  if (await imageExists(tag)) step(`${tag} exists but was built from other inputs (${INPUTS_LABEL}=${label ?? 'none'}, now ${digest}): rebuilding`);
  return false;
}

export async function imageExists(image: string): Promise<boolean> {
  return (await imageId(image)) !== undefined;
}

async function imageId(image: string): Promise<string | undefined> {
  return runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { what: `looking for ${image}` }).then((id) => id.trim() || undefined, () => undefined);
}

async function dockerBuild(tag: string, context: string, inputs: string, step: (text: string) => void): Promise<void> {
  step(`docker build -t ${tag} ${context}`);
  const replaced = await imageId(tag);
  // The classic builder: it needs no buildx plugin and takes FROM scratch with no registry.
  await runCommand('docker', ['build', '--pull=false', '--label', `${INPUTS_LABEL}=${inputs}`, '-t', tag, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, what: `building ${tag}` });
  step(`built ${tag}`);
  // The image the tag named before would stay behind untagged; an engine refuses while a container uses it, which is fine.
  if (replaced && replaced !== (await imageId(tag))) await runCommand('docker', ['image', 'rm', replaced], { what: `removing the replaced ${tag}` }).catch(() => {});
}

/** The static server: CGO off, so FROM scratch has everything it needs. Cached beside the dynamic one. */
async function staticToxiproxy(step: (text: string) => void): Promise<string> {
  const dir = path.join(cacheDir(), `toxiproxy-${TOXIPROXY_VERSION}-static`);
  const binary = path.join(dir, 'toxiproxy-server');
  if (fs.existsSync(binary)) return binary;
  requireTool('go', 'version');
  step(`building a static Toxiproxy ${TOXIPROXY_VERSION} with go install (CGO_ENABLED=0; about 1-2 min once)`);
  const scratch = `${dir}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  await runCommand('go', ['install', `${TOXIPROXY_MODULE}@${TOXIPROXY_VERSION}`], {
    env: { ...process.env, GOBIN: scratch, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    what: `building a static Toxiproxy ${TOXIPROXY_VERSION}`,
  });
  fs.renameSync(path.join(scratch, 'server'), path.join(scratch, 'toxiproxy-server'));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(scratch, dir);
  return binary;
}

function toxiproxyImageRecipe(): ImageRecipe {
  return { module: TOXIPROXY_MODULE, version: TOXIPROXY_VERSION, dockerfile: toxiproxyDockerfile(TOXIPROXY_VERSION.replace(/^v/, '')) };
}

async function buildToxiproxyImage(tag: string, inputs: string, step: (text: string) => void): Promise<void> {
  const binary = await staticToxiproxy(step);
  const context = path.join(imagesDir(), 'toxiproxy');
  fs.rmSync(context, { recursive: true, force: true });
  fs.mkdirSync(context, { recursive: true });
  fs.copyFileSync(binary, path.join(context, 'toxiproxy-server'));
  fs.chmodSync(path.join(context, 'toxiproxy-server'), 0o755);
  fs.writeFileSync(path.join(context, 'Dockerfile'), toxiproxyDockerfile(TOXIPROXY_VERSION.replace(/^v/, '')));
  await dockerBuild(tag, context, inputs, step);
}

/** jlink is slow on two cores (about a minute): its output is cached per JDK release. */
async function jlinkJre(jdk: HostJdk, step: (text: string) => void): Promise<string> {
  const jre = path.join(imagesDir(), `jre-${jdk.release}`);
  if (fs.existsSync(path.join(jre, 'bin', 'java'))) return jre;
  step(`cutting a JRE from ${jdk.home} with jlink (${JRE_MODULES.length} modules; about a minute once)`);
  const scratch = `${jre}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  await runCommand(jdk.jlink, ['--add-modules', JRE_MODULES.join(','), '--strip-debug', '--no-man-pages', '--no-header-files', '--output', scratch], { what: 'jlink' });
  fs.rmSync(jre, { recursive: true, force: true });
  fs.renameSync(scratch, jre);
  return jre;
}

interface KafkaImageInputs {
  jdk: HostJdk;
  kafka: Awaited<ReturnType<typeof ensureKafkaJars>>;
  jars: string[];
}

async function kafkaImageInputs(kafkaVersion: string, step: (text: string) => void): Promise<KafkaImageInputs> {
  const jdk = findJdk();
  const kafka = await ensureKafkaJars(kafkaVersion, (line) => step(line.replace(/^setup: /, '')));
  if (kafka.logging !== 'log4j2') {
    throw new HarnessError(`kchaos docker build-images: Kafka ${kafka.version} logs with reload4j; the offline image supports Kafka 4.x only`, { hint: 'use --kafka-version 4.3.1 (the default), or the public apache/kafka image' });
  }
  const jars = fs.readdirSync(kafka.classpath.replace(/\/\*$/, '')).sort();
  return { jdk, kafka, jars };
}

/** Every text the Kafka image is made of, plus the JDK release and the jar names (a jar's name carries its version). */
function kafkaImageRecipe({ jdk, kafka, jars }: KafkaImageInputs): ImageRecipe {
  return {
    kafkaVersion: kafka.version, javaRelease: jdk.release, jreModules: JRE_MODULES, jars,
    dockerfile: kafkaDockerfile({ kafkaVersion: kafka.version, javaRelease: jdk.release }),
    runScript: runScript(), serverProperties: defaultServerProperties(), log4j2: log4j2Yaml(), toolsLog4j2: log4j2Yaml('WARN'),
  };
}

async function buildKafkaImage({ jdk, kafka }: KafkaImageInputs, tag: string, inputs: string, step: (text: string) => void): Promise<void> {
  const busybox = findStaticBusybox();
  const jre = await jlinkJre(jdk, step);
  const context = path.join(imagesDir(), `kafka-${kafka.version}`);
  const rootfs = path.join(context, 'rootfs');
  step(`assembling the rootfs in ${rootfs}`);
  fs.rmSync(context, { recursive: true, force: true });
  const at = (p: string) => path.join(rootfs, p);
  fs.mkdirSync(at('bin'), { recursive: true });
  fs.cpSync(jre, at(JAVA_HOME_IN_IMAGE), { recursive: true });
  const libs = sharedLibraries(elfFilesOf(jre), jre);
  for (const lib of libs) fs.mkdirSync(path.dirname(at(lib)), { recursive: true });
  for (const lib of libs) fs.copyFileSync(fs.realpathSync(lib), at(lib)); // the real file under the name the loader asks for
  fs.copyFileSync(busybox, at('bin/busybox'));
  fs.chmodSync(at('bin/busybox'), 0o755);
  fs.cpSync(kafka.classpath.replace(/\/\*$/, ''), at(`${KAFKA_HOME_IN_IMAGE}/libs`), { recursive: true });
  for (const dir of [FINAL_CONFIGS_DIR, MOUNTED_CONFIGS_DIR, DEFAULT_CONFIGS_DIR, '/var/lib/kafka/data', '/etc/kafka/secrets', '/tmp']) fs.mkdirSync(at(dir), { recursive: true });
  fs.chmodSync(at('/tmp'), 0o1777);
  fs.writeFileSync(at(RUN_SCRIPT), runScript(), { mode: 0o755 });
  fs.writeFileSync(at(`${DEFAULT_CONFIGS_DIR}/server.properties`), defaultServerProperties());
  fs.writeFileSync(at(`${DEFAULT_CONFIGS_DIR}/log4j2.yaml`), log4j2Yaml());
  fs.writeFileSync(at(`${DEFAULT_CONFIGS_DIR}/tools-log4j2.yaml`), log4j2Yaml('WARN'));
  fs.writeFileSync(path.join(context, 'Dockerfile'), kafkaDockerfile({ kafkaVersion: kafka.version, javaRelease: jdk.release }));
  step(`rootfs: JRE ${jdk.release} (jlink), ${libs.length} shared libraries, busybox, ${fs.readdirSync(at(`${KAFKA_HOME_IN_IMAGE}/libs`)).length} Kafka jars`);
  await dockerBuild(tag, context, inputs, step);
}
