import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OWNER_PID_LABEL } from '../harness/cluster/docker-owner-labels';
import { dockerEngineAnswersSync } from '../harness/cluster/start-cluster';
import { KAFKA_IMAGE_ENV, localKafkaImage, localToxiproxyImage, TOXIPROXY_IMAGE_ENV } from '../harness/docker-images/image-names';
import { reapOrphans } from '../harness/process/reaper';

// A harness SIGKILLed while its docker cluster is up cannot stop it: its containers and network
// stay, labelled with its pid. The next start's reaper (harness/process/reaper.ts, run by every
// cluster start) removes them because that pid is gone.
const ENGINE = dockerEngineAnswersSync();
// bin/kchaos.cjs loads tsx in its own process: the tsx CLI would run the harness in a child, and
// SIGKILL would reach only the CLI (the harness, owner of the containers, would live on).
const KCHAOS_BIN = path.resolve(__dirname, '../bin/kchaos.cjs');
const docker = (args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 20_000 });
/** The harness's containers that are running (the three brokers and Toxiproxy once all started). */
const running = (pid: number) => docker(['ps', '-q', '--filter', `label=${OWNER_PID_LABEL}=${pid}`, '--filter', 'status=running']).stdout.split('\n').filter(Boolean);
const owned = (pid: number) => {
  const filter = `label=${OWNER_PID_LABEL}=${pid}`;
  return {
    containers: docker(['ps', '-a', '-q', '--filter', filter]).stdout.split('\n').filter(Boolean),
    networks: docker(['network', 'ls', '-q', '--filter', filter]).stdout.split('\n').filter(Boolean),
  };
};
const imageOr = (env: string, local: string) => process.env[env] || (docker(['image', 'inspect', local]).status === 0 ? local : undefined);

if (!ENGINE) {
  test.skip('docker crash safety: skipped — no Docker engine answers on this machine', () => {});
} else {
  // Killed once its four containers run, not after Kafka reports ready: what is left behind (and
  // what the reaper must remove) is the same, and the test no longer waits for a quorum (~30–150 s).
  test('SIGKILL of `kchaos cluster up --backend docker` once its 4 containers run: they and the network stay; the next start\'s reaper removes them all', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-docker-crash-'));
    const images: string[] = [];
    const kafkaImage = imageOr(KAFKA_IMAGE_ENV, localKafkaImage());
    const toxiproxyImage = imageOr(TOXIPROXY_IMAGE_ENV, localToxiproxyImage());
    if (kafkaImage) images.push('--kafka-image', kafkaImage);
    if (toxiproxyImage) images.push('--toxiproxy-image', toxiproxyImage);
    const harness = spawn(process.execPath, [KCHAOS_BIN, 'cluster', 'up', '--backend', 'docker', ...images], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    harness.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => harness.on('exit', resolve));
    let gone = false;
    void exited.then(() => (gone = true));
    let up = false;
    for (const deadline = Date.now() + 300_000; !gone && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      if (running(harness.pid!).length === 4) { up = true; break; }
    }
    harness.kill('SIGKILL'); // also when it did not come up: never leave it running
    await exited;
    expect({ up, stderr: up ? '' : stderr }).toEqual({ up: true, stderr: '' });
    const left = owned(harness.pid!);
    expect({ containers: left.containers.length, networks: left.networks.length }).toEqual({ containers: 4, networks: 1 });

    const reaped = reapOrphans(() => {});
    expect(reaped.filter((r) => r.startsWith('container ')).sort()).toEqual(expect.arrayContaining(left.containers.map((c) => expect.stringContaining(c))));
    expect(owned(harness.pid!)).toEqual({ containers: [], networks: [] });
    expect(docker(['volume', 'ls', '-q', '--filter', 'dangling=true']).stdout.trim()).toBe('');
    fs.rmSync(cwd, { recursive: true, force: true });
  }, 600_000);
}
