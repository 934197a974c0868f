import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../paths';
import { KafkaInstall } from '../provision/kafka-jars';
import { runCommand } from '../provision/run-command';

/**
 * Formatted KRaft storage, made once and copied into every start's fresh data dirs.
 *
 * Formatting takes one JVM per broker (~3 s of a quiet 2-core machine's start, 17 s at load 12).
 * What `kafka-storage format` writes for a static quorum (meta.properties: cluster.id, node.id, a
 * directory.id; bootstrap.checkpoint: the release's feature levels) does not depend on ports or on
 * the data dir's path: two formats with different ports differ only in timestamps and the random
 * directory.id. So a template is keyed by what it can depend on: the Kafka install (version and
 * jars), each node's id and its server.properties with ports and its data dir blanked out. The
 * cluster id is derived from that key (one fixed id per template); every start is still a new
 * cluster in new data dirs, and each dir of a cluster keeps its own directory.id.
 */

/** One broker's storage to prepare. */
export interface StorageTarget {
  nodeId: number;
  /** Its server.properties file (log.dirs names dataDir). */
  properties: string;
  dataDir: string;
}

/** Templates live here, one folder per key. @default <cache>/storage-templates */
export function templateRoot(): string {
  return path.join(cacheDir(), 'storage-templates');
}

/**
 * Fills each target's dataDir with formatted storage (copied from the template, formatting it
 * first when there is none) and returns the cluster id they carry.
 */
export async function formatStorage(kafka: KafkaInstall, targets: StorageTarget[]): Promise<{ clusterId: string; formatted: boolean }> {
  const texts = targets.map((t) => fs.readFileSync(t.properties, 'utf8'));
  const key = templateKey(kafka, targets.map((t, i) => ({ nodeId: t.nodeId, text: texts[i], dataDir: t.dataDir })));
  const clusterId = clusterIdOf(key);
  const dir = path.join(templateRoot(), `kafka-${kafka.version}-${key}`);
  let formatted = false;
  if (!fs.existsSync(dir)) {
    await makeTemplate(kafka, dir, clusterId, targets.map((t, i) => ({ ...t, text: texts[i] })));
    formatted = true;
  }
  for (const t of targets) {
    fs.rmSync(t.dataDir, { recursive: true, force: true });
    fs.cpSync(path.join(dir, `k${t.nodeId}`), t.dataDir, { recursive: true });
  }
  return { clusterId, formatted };
}

/** Port numbers and the data dir are the only parts of a broker's properties that vary per start. */
export function canonicalProperties(text: string, dataDir: string): string {
  return text.split(dataDir).join('<dataDir>').replace(/:\d+(?=[,\s]|$)/g, ':<port>');
}

export function templateKey(kafka: Pick<KafkaInstall, 'version' | 'classpath'>, nodes: Array<{ nodeId: number; text: string; dataDir: string }>): string {
  const canonical = nodes.map((n) => ({ nodeId: n.nodeId, properties: canonicalProperties(n.text, n.dataDir) }));
  return crypto.createHash('sha256').update(JSON.stringify({ version: kafka.version, classpath: kafka.classpath, canonical })).digest('hex').slice(0, 16);
}

/** A Kafka cluster id (16 bytes, base64url) from the key; a leading '-' would read as an option. */
export function clusterIdOf(key: string): string {
  return crypto.createHash('sha256').update(`kchaos-cluster-${key}`).digest().subarray(0, 16).toString('base64url').replace(/^-/, 'A');
}

/** Formats into a private folder and renames it into place, so a half-made template is never used. */
async function makeTemplate(kafka: KafkaInstall, dir: string, clusterId: string, targets: Array<StorageTarget & { text: string }>): Promise<void> {
  const building = `${dir}.building-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(building, { recursive: true });
  try {
    await Promise.all(targets.map((t) => {
      const dataDir = path.join(building, `k${t.nodeId}`);
      const properties = path.join(building, `k${t.nodeId}.properties`);
      fs.writeFileSync(properties, t.text.split(t.dataDir).join(dataDir));
      return runCommand('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', kafka.classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties], {
        what: 'formatting broker storage',
      });
    }));
    try {
      fs.renameSync(building, dir);
    } catch (error) {
      // Another start made the same template meanwhile: theirs is as good as ours.
      if (!fs.existsSync(dir)) throw error;
    }
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
}
