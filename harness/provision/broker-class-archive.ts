import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errorText } from '../cluster/error-text';
import { cacheDir } from '../paths';
import { isAlive } from '../process/process-liveness';
import { BROKER_JVM_FLAGS } from '../cluster/broker-jvm';
import type { KafkaInstall } from './kafka-jars';
import { trainClassArchive } from './class-archive-training';

/**
 * A class-data sharing (AppCDS) archive for the broker JVMs: the Kafka, Scala and log4j classes a
 * broker loads while it starts, parsed and verified once and then mapped by every broker JVM.
 * In one A/B run on 2 shared cores (load 11-18, 5 starts each, alternating), a cold cluster start
 * took p50 6.6 s with it and 9.2 s without (docs/measured/cluster-starts-ab-class-archive-2026-12-01.json).
 *
 * Made by `kchaos setup` (which every local start runs first): one single-node broker started with
 * -XX:ArchiveClassesAtExit and stopped (class-archive-training.ts). Not at a cluster's own stop:
 * the JVM writes the archive only on a clean exit, which a cluster stop (SIGKILL at once)
 * and the process-fault scenarios do not give, and a test's first start would pay the ~10 s dump.
 *
 * Keyed by what the JVM checks when it maps an archive: the JDK build, every jar of the classpath
 * (name, size, mtime) and the GC flags; another key is another file, so a stale archive is never
 * used. An archive the JVM still rejects is skipped by it with a warning (-Xshare:auto), but a
 * truncated one crashes it: so the archive is written to a private file, checked with -Xshare:on,
 * and only then renamed into place. A failed build never fails a start: the start runs without,
 * and a `.failed` note says why (deleted, the next start tries again).
 */

/** Archives live here, one file per key. @default <cache>/class-archives */
export function archiveRoot(): string {
  return path.join(cacheDir(), 'class-archives');
}

/** JDK 13 brought -XX:ArchiveClassesAtExit; an older JDK starts brokers without an archive. */
const MIN_JDK_MAJOR = 13;

export interface JdkIdentity {
  home: string;
  major: number;
  /** The JDK's `release` file (JAVA_VERSION, IMPLEMENTOR…) and its libjvm's size and mtime. */
  fingerprint: string;
}

/** The JDK behind the `java` a broker is spawned with (the first on PATH); undefined when none is found. */
export function jdkOnPath(env: NodeJS.ProcessEnv = process.env): JdkIdentity | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'java');
    let real: string;
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      real = fs.realpathSync(candidate);
    } catch {
      continue;
    }
    const home = path.dirname(path.dirname(real));
    const release = readOr(path.join(home, 'release'), '');
    const version = /JAVA_VERSION="([^"]+)"/.exec(release)?.[1] ?? '';
    const major = Number(version.startsWith('1.') ? version.split('.')[1] : version.split(/[.+-]/)[0]) || 0;
    const libjvm = statOr(path.join(home, 'lib', 'server', 'libjvm.so'));
    return { home, major, fingerprint: `${real}\n${release}\n${libjvm}` };
  }
  return undefined;
}

/** Name, size and mtime of every jar of a `dir/*` classpath entry (other entries as written). */
function classpathFingerprint(classpath: string): string[] {
  return classpath.split(path.delimiter).flatMap((entry) => {
    if (!entry.endsWith(`${path.sep}*`)) return [`${entry} ${statOr(entry)}`];
    const dir = entry.slice(0, -2);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.jar')).sort();
    } catch {
      // a missing folder gives its own key; the broker's start then reports the missing jars
    }
    return names.map((n) => `${n} ${statOr(path.join(dir, n))}`);
  });
}

export function archiveKey(kafka: Pick<KafkaInstall, 'version' | 'classpath'>, jdk: JdkIdentity, jars = classpathFingerprint(kafka.classpath)): string {
  const material = JSON.stringify({ version: kafka.version, classpath: kafka.classpath, jars, jdk: jdk.fingerprint, flags: BROKER_JVM_FLAGS });
  return crypto.createHash('sha256').update(material).digest('hex').slice(0, 16);
}

/**
 * The archive for this Kafka install and JDK, made now when there is none; undefined when it
 * cannot be had (old JDK, an earlier build failed, another process is making it right now).
 */
export async function ensureBrokerClassArchive(kafka: KafkaInstall, log: (line: string) => void): Promise<string | undefined> {
  if (process.env.KCHAOS_CLASS_ARCHIVE === '0') return undefined; // opt-out, and the A/B bench's "without"
  const jdk = jdkOnPath();
  if (!jdk || jdk.major < MIN_JDK_MAJOR) return undefined;
  const file = path.join(archiveRoot(), `kafka-${kafka.version}-${archiveKey(kafka, jdk)}.jsa`);
  if (fs.existsSync(file)) return file;
  const failed = `${file}.failed`;
  if (fs.existsSync(failed)) return undefined;
  fs.mkdirSync(archiveRoot(), { recursive: true });
  const release = takeLock(`${file}.lock`);
  if (!release) {
    log('setup: another process is making the broker class archive; this start runs without it');
    return undefined;
  }
  try {
    if (fs.existsSync(file)) return file; // made by the lock's previous holder
    log('setup: making a class-data archive for the broker JVMs (once per Kafka install and JDK; a one-broker start and stop)');
    const startedMs = Date.now();
    await trainClassArchive(kafka, file);
    log(`setup: broker class archive ready in ${((Date.now() - startedMs) / 1000).toFixed(1)} s: ${file}`);
    return file;
  } catch (error) {
    fs.writeFileSync(failed, `${new Date().toISOString()} ${errorText(error)}\n`);
    log(`setup: no broker class archive (brokers start without it, slower): ${errorText(error).split('\n')[0]}; details in ${failed}, delete it to try again`);
    return undefined;
  } finally {
    release();
  }
}

/** @default 900000 — a lock older than this is taken over (its holder's pid may have been reused). */
const STALE_LOCK_MS = 15 * 60_000;

/** An exclusive lock file holding our pid; one left by a process that is gone (or long ago) is taken over. */
function takeLock(lockFile: string): (() => void) | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readOr(lockFile, ''));
      const ageMs = Date.now() - (statMs(lockFile) ?? 0);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder) && ageMs < STALE_LOCK_MS) return undefined;
      fs.rmSync(lockFile, { force: true });
    }
  }
  return undefined;
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function statMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function statOr(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size} ${Math.round(s.mtimeMs)}`;
  } catch {
    return 'missing';
  }
}
