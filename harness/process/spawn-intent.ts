import fs from 'node:fs';
import path from 'node:path';
import { pidDir } from '../paths';
import { readJsonRecords } from './json-records';

/**
 * A child's record written before it is spawned, and removed once its pid file is written. A
 * harness killed while spawn() runs (libuv forks and execs inside that call: milliseconds for a
 * large process on a loaded machine) or before the pid file is on disk leaves a child that no pid
 * file names; its intent still names it, by marker. Only for markers that belong to one run (a path
 * in the run folder or a private work folder): the reaper kills every process whose command line
 * holds the marker of a dead owner's intent.
 */
export interface SpawnIntent {
  /** The harness process about to spawn the child. */
  ownerPid: number;
  name: string;
  /** A string unique to this child that will appear in its /proc/<pid>/cmdline. */
  marker: string;
  startedAt: string;
}

/** Beside the pid files, apart: a record here has no pid yet. */
export function spawnIntentDir(): string {
  return path.join(pidDir(), 'spawning');
}

let written = 0;

/** Writes the intent; returns its file, to be removed once the child's pid file is written. */
export function writeSpawnIntent(intent: SpawnIntent): string {
  fs.mkdirSync(spawnIntentDir(), { recursive: true });
  const file = path.join(spawnIntentDir(), `${intent.ownerPid}-${written++}.json`);
  fs.writeFileSync(file, JSON.stringify(intent));
  return file;
}

/** Every intent on disk; a torn one (the owner died writing it, before any spawn) is removed. */
export function readSpawnIntents(): Array<{ file: string; record: SpawnIntent }> {
  return readJsonRecords<SpawnIntent>(spawnIntentDir());
}
