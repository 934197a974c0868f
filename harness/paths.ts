import os from 'node:os';
import path from 'node:path';

/** Where fetched Kafka jars, the Toxiproxy binary and pid files live. @default ~/.cache/kafka-chaos-harness */
export function cacheDir(): string {
  return process.env.KCHAOS_CACHE || path.join(os.homedir(), '.cache', 'kafka-chaos-harness');
}

/** Pid files of every child the harness started; the reaper reads them at the next start. */
export function pidDir(): string {
  return path.join(cacheDir(), 'pids');
}

/** Records of the nftables tables the harness created (packet faults); the reaper reads them at the next start. */
export function tableRecordDir(): string {
  return path.join(cacheDir(), 'nft-tables');
}
