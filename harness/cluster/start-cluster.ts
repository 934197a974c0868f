import { spawn, spawnSync } from 'node:child_process';
import { HarnessError } from '../errors';
import type { DockerClusterOptions } from './docker-cluster';
import { connectExternalCluster } from './external-cluster';
import { LocalClusterOptions, startLocalCluster } from './local-cluster';
import type { BackendName, StartedCluster } from './started-cluster';

export const BACKEND_NAMES: readonly BackendName[] = ['local', 'docker', 'external'];
/** @default 2000 — how long `docker info` may take to say whether an engine answers. */
export const ENGINE_CHECK_TIMEOUT_MS = 2_000;
/** @default http://127.0.0.1:8474 — Toxiproxy's own default API address (and docker-compose.yml's). */
export const DEFAULT_EXTERNAL_TOXIPROXY = 'http://127.0.0.1:8474';
const DOCKER_INFO_ARGS = ['info', '--format', '{{.ServerVersion}}'];

export interface BackendOptions extends LocalClusterOptions, Pick<DockerClusterOptions, 'kafkaImage' | 'toxiproxyImage'> {
  /** @default KCHAOS_BACKEND; else 'external' when `bootstrap` is given; else 'docker' when a Docker engine answers, 'local' otherwise */
  backend?: BackendName;
  /** External backend: the cluster's DIRECT bootstrap, host:port,… (`--bootstrap`); required. */
  bootstrap?: string;
  /** External backend: the Toxiproxy API in front of the brokers (`--toxiproxy`). @default http://127.0.0.1:8474 */
  toxiproxy?: string;
  /** External backend: broker id → Toxiproxy proxy name (`--proxy-map 1=k1,2=k2`). @default "k<id>" */
  proxyMap?: Record<number, string>;
}

/** Parses `--proxy-map 1=k1,2=k2,3=k3` (broker id = proxy name). */
export function parseProxyMap(text: string): Record<number, string> {
  const map: Record<number, string> = {};
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(\d+)=(\S+)$/.exec(entry);
    if (!match) throw new HarnessError(`--proxy-map: ${JSON.stringify(entry)} is not <broker id>=<proxy name>`, { hint: 'use e.g. --proxy-map 1=k1,2=k2,3=k3' });
    map[Number(match[1])] = match[2];
  }
  return map;
}

/** Does a Docker engine answer `docker info` within 2 s? (Blocks; for test files choosing at load time.) */
export function dockerEngineAnswersSync(): boolean {
  const result = spawnSync('docker', DOCKER_INFO_ARGS, { timeout: ENGINE_CHECK_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '';
}

/** Does a Docker engine answer `docker info` within 2 s? No docker command counts as no. */
export function dockerEngineAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('docker', DOCKER_INFO_ARGS, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), ENGINE_CHECK_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', () => { clearTimeout(timer); resolve(false); });
    child.on('close', (code) => { clearTimeout(timer); resolve(code === 0 && out.trim() !== ''); });
  });
}

/**
 * Checks the options that need no engine and no network, so the CLI can refuse a bad command line
 * (exit 2) before it creates a run folder.
 */
export function checkBackendOptions(options: BackendOptions, env: NodeJS.ProcessEnv = process.env): void {
  const backend = options.backend ?? (env.KCHAOS_BACKEND as BackendName | undefined);
  if (backend !== undefined && !BACKEND_NAMES.includes(backend)) {
    const from = options.backend !== undefined ? '--backend' : 'KCHAOS_BACKEND';
    throw new HarnessError(`${from} ${JSON.stringify(backend)} is not a backend`, { hint: `use one of ${BACKEND_NAMES.join(', ')}` });
  }
  const external = backend === 'external' || (backend === undefined && options.bootstrap !== undefined);
  if (external && !options.bootstrap) {
    throw new HarnessError('--backend external needs --bootstrap: the DIRECT (unproxied) bootstrap of the cluster', {
      hint: 'add e.g. --bootstrap 127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094 --toxiproxy http://127.0.0.1:8474 (docker-compose.yml\'s addresses)',
    });
  }
  if (backend === 'local' || external) {
    for (const [flag, value] of [['--kafka-image', options.kafkaImage], ['--toxiproxy-image', options.toxiproxyImage]] as const) {
      if (value !== undefined) throw new HarnessError(`${flag} is only used with --backend docker (backend here: ${external ? 'external' : 'local'})`, { hint: `add --backend docker, or leave ${flag} out` });
    }
  }
  if (!external) {
    for (const [flag, value] of [['--bootstrap', options.bootstrap], ['--toxiproxy', options.toxiproxy], ['--proxy-map', options.proxyMap]] as const) {
      if (value !== undefined) throw new HarnessError(`${flag} is only used with --backend external (backend here: ${backend})`, { hint: `add --backend external, or leave ${flag} out` });
    }
  }
}

/** The backend to use: `--backend`, KCHAOS_BACKEND, external when --bootstrap is given, else docker if an engine answers, else local. */
export async function chooseBackend(
  options: BackendOptions,
  env: NodeJS.ProcessEnv = process.env,
  engineAnswers: () => Promise<boolean> = dockerEngineAnswers,
): Promise<BackendName> {
  checkBackendOptions(options, env);
  const chosen = options.backend ?? (env.KCHAOS_BACKEND as BackendName | undefined);
  if (chosen) return chosen;
  if (options.bootstrap !== undefined) return 'external';
  return (await engineAnswers()) ? 'docker' : 'local';
}

/** Starts (or, for external, attaches to) a cluster on the chosen backend. */
export async function startCluster(options: BackendOptions = {}): Promise<StartedCluster> {
  const backend = await chooseBackend(options);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.backend === undefined && !process.env.KCHAOS_BACKEND && backend !== 'external') {
    log(backend === 'docker'
      ? 'cluster: backend docker (a Docker engine answers; --backend local runs the brokers as local JVMs)'
      : 'cluster: backend local (no Docker engine answers)');
  }
  if (backend === 'local') return startLocalCluster(options);
  if (backend === 'docker') {
    // Loaded only now (it loads testcontainers). require, not import(): under bin/kchaos.cjs in a
    // source checkout only tsx's CommonJS hook is registered, and a dynamic import() of a .ts path
    // goes to Node's own ESM loader, which fails with ERR_MODULE_NOT_FOUND.
    const { startDockerCluster } = require('./docker-cluster') as typeof import('./docker-cluster');
    return startDockerCluster(options);
  }
  // The Kafka version of someone else's cluster is not ours to claim: it stays 'unknown'.
  log(`cluster: external cluster at ${options.bootstrap}, Toxiproxy ${options.toxiproxy ?? DEFAULT_EXTERNAL_TOXIPROXY}`);
  return connectExternalCluster({ directBootstrap: options.bootstrap!, toxiproxy: options.toxiproxy ?? DEFAULT_EXTERNAL_TOXIPROXY, proxies: options.proxyMap });
}
