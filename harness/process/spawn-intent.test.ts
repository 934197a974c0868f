import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../../test/wait-for';
import { isAlive } from './process-liveness';
import { reapOrphanChildren } from './reaper';
import { readSpawnIntents, writeSpawnIntent } from './spawn-intent';

let cache: string;
const savedCache = process.env.KCHAOS_CACHE;
beforeEach(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-intent-'));
  process.env.KCHAOS_CACHE = cache; // pid files and intents of this test only
});
afterEach(() => {
  if (savedCache === undefined) delete process.env.KCHAOS_CACHE;
  else process.env.KCHAOS_CACHE = savedCache;
  fs.rmSync(cache, { recursive: true, force: true });
});

/** A long-lived child whose command line holds `marker`, as a broker's holds its properties file. */
const childWith = (marker: string) => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], { detached: true, stdio: 'ignore' });

test('a child named only by a dead owner\'s spawn intent is reaped; a live owner\'s child and intent are left alone', async () => {
  const deadOwner = spawnSync('true').pid!; // exited: as a harness SIGKILLed while spawn() ran
  const [orphanMarker, keptMarker] = [path.join(cache, 'run-a', 'k1.properties'), path.join(cache, 'run-b', 'k1.properties')];
  const [orphan, kept] = [childWith(orphanMarker), childWith(keptMarker)];
  try {
    writeSpawnIntent({ ownerPid: deadOwner, name: 'k1', marker: orphanMarker, startedAt: new Date().toISOString() });
    writeSpawnIntent({ ownerPid: process.pid, name: 'k1', marker: keptMarker, startedAt: new Date().toISOString() });
    expect(reapOrphanChildren()).toEqual([`k1 (pid ${orphan.pid}, spawned as its harness died)`]);
    expect(await waitFor(() => !isAlive(orphan.pid!), 5_000)).toBe(true);
    expect(isAlive(kept.pid!)).toBe(true);
    expect(readSpawnIntents().map(({ record }) => record.marker)).toEqual([keptMarker]);
  } finally {
    orphan.kill('SIGKILL');
    kept.kill('SIGKILL');
  }
});

test('a torn intent (its owner died writing it, before any spawn) is removed and kills nothing', () => {
  writeSpawnIntent({ ownerPid: process.pid, name: 'k1', marker: 'x', startedAt: '' });
  const [{ file }] = readSpawnIntents();
  fs.writeFileSync(file, '{"ownerPid": 12');
  expect(reapOrphanChildren()).toEqual([]);
  expect(fs.readdirSync(path.dirname(file))).toEqual([]);
});
