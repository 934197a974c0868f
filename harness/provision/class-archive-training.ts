import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors';
import { BrokerPorts, brokerProperties, log4j2Properties, log4jProperties } from '../cluster/broker-config';
import { BROKER_JVM_FLAGS, brokerJvmArgs } from '../cluster/broker-jvm';
import { freePorts } from '../cluster/free-ports';
import { liveBrokerIdsSeenBy } from '../cluster/live-broker-ids';
import { logTail } from '../cluster/log-tail';
import { formatStorage } from '../cluster/storage-template';
import { StopWaiting, waitUntil } from '../cluster/wait-until';
import { spawnManaged, stopManaged } from '../process/child-processes';
import type { KafkaInstall } from './kafka-jars';
import { runCommand } from './run-command';

/** @default 180000 — the one-broker start of the training run, on a machine that may be busy. */
const TRAINING_START_TIMEOUT_MS = 180_000;
/** @default 120000 — SIGTERM to exit: a controlled shutdown, then the JVM writes the archive (~50 MB). */
const TRAINING_STOP_GRACE_MS = 120_000;
const HEAP_MB = 512;

/**
 * Makes `archive`: starts one broker+controller node with the brokers' own JVM flags, settings
 * code and classpath plus -XX:ArchiveClassesAtExit, waits until it is registered and unfenced
 * (every class of a start is loaded by then), stops it with SIGTERM so the JVM writes the archive,
 * checks that a JVM maps it, and renames it into place. Throws, leaving nothing behind, otherwise.
 */
export async function trainClassArchive(kafka: KafkaInstall, archive: string): Promise<void> {
  const work = `${archive}.training-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(work, { recursive: true });
  const written = path.join(work, 'classes.jsa');
  try {
    const [controller, internal, direct, proxied, proxy] = await freePorts(5);
    const broker: BrokerPorts = { id: 1, controller, internal, direct, proxied, proxy };
    const dataDir = path.join(work, 'data');
    const properties = path.join(work, 'server.properties');
    const logFile = path.join(work, 'k1.log');
    const logConfig = path.join(work, kafka.logging === 'log4j2' ? 'log4j2.properties' : 'log4j.properties');
    fs.writeFileSync(properties, brokerProperties(broker, [broker], dataDir));
    fs.writeFileSync(logConfig, kafka.logging === 'log4j2' ? log4j2Properties(logFile) : log4jProperties(logFile));
    await formatStorage(kafka, [{ nodeId: 1, properties, dataDir }]);

    const stdoutLog = path.join(work, 'k1.stdout.log');
    const args = brokerJvmArgs({ kafka, heapMb: HEAP_MB, properties, logConfig, logsDir: work, archiveAtExit: written, extraFlags: [] });
    const child = spawnManaged('class-archive-training', 'java', args, { logFile: stdoutLog, marker: properties });
    const tails = () => `last lines of ${logFile}:\n${logTail(logFile, 10)}\nof ${stdoutLog}:\n${logTail(stdoutLog, 10)}`;
    try {
      const ready = await waitUntil('the training broker registered and unfenced', async () => {
        if (child.process.exitCode !== null || child.process.signalCode !== null) throw new StopWaiting(`the training broker exited during start-up; ${tails()}`);
        return (await liveBrokerIdsSeenBy(`127.0.0.1:${direct}`)).includes(1) ? true : undefined;
      }, { timeoutMs: TRAINING_START_TIMEOUT_MS, intervalMs: 250, onTimeout: tails });
      if (ready !== true) throw new HarnessError('the training broker did not start');
    } finally {
      await stopManaged(child, TRAINING_STOP_GRACE_MS);
    }
    if (child.process.signalCode === 'SIGKILL' || !fs.existsSync(written)) {
      throw new HarnessError(`the training broker wrote no class archive (exit ${child.process.exitCode ?? child.process.signalCode}); ${tails()}`);
    }
    // -Xshare:on makes an unusable archive an error instead of a warning; a truncated one crashes the JVM here, not in a broker.
    const check = await runCommand('java', [...BROKER_JVM_FLAGS, `-XX:SharedArchiveFile=${written}`, '-Xshare:on', '-cp', kafka.classpath, '-version'], { what: 'checking the broker class archive' });
    if (!/sharing/.test(check)) throw new HarnessError(`a JVM does not map the new class archive:\n${check.trim()}`);
    fs.renameSync(written, archive);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
