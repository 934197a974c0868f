import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkCommand } from './check-command';
import { BackendOptions, checkBackendOptions, parseProxyMap, startCluster } from './cluster/start-cluster';
import { describeCluster, BackendName } from './cluster/started-cluster';
import { EXIT_USAGE_OR_SETUP, HarnessError } from './errors';
import { cacheDir } from './paths';
import { isAlive } from './process/process-liveness';
import { onShutdown } from './process/child-processes';
import { DEFAULT_KAFKA_VERSION } from './provision/kafka-jars';
import { setup } from './provision/setup';
import { formatRepeatSummary } from './repeat-summary';
import { runScenarios } from './run-suite';
import { baselineCommand } from '../reports/baseline';
import { gateCommand } from '../reports/gate';
import { createReporters, parseReporterNames } from '../reports/registry';
import { resolveScenarios } from '../scenarios/load-scenarios';

const USAGE = `kchaos — chaos tests for Kafka producers

  kchaos setup [--kafka-version V]            fetch Kafka jars (Maven) and build Toxiproxy (go) into the cache
  kchaos cluster up [--kafka-version V]       start a local cluster, print its addresses as JSON, stay up until Ctrl-C
  kchaos cluster down                         stop the cluster started by "kchaos cluster up"
  kchaos run <suite|scenario|file…> [--out DIR] [--repeat N] [--backend local|docker|external] [--reporter LIST]
             [--bootstrap HOST:PORT,… --toxiproxy URL --proxy-map 1=k1,2=k2,3=k3]   (external backend)
                                              run scenarios; exit 0 all expectations hold, 1 some failed, 2 usage/set-up error
  kchaos check --history H --observed O [--json] [--expect JSON]
                                              re-check an archived run offline
  kchaos baseline save RESULTS --out FILE     write a baseline from a results.json
  kchaos gate --baseline FILE RESULTS         exit 1 and list what got worse than the baseline

Suites: seed, seed-full, semantics. Environment: KCHAOS_CACHE (default ~/.cache/kafka-chaos-harness),
KAFKA_HOME (use an unpacked Kafka instead of Maven), KCHAOS_BACKEND, NO_COLOR.`;

const log = (line: string) => process.stderr.write(`${line}\n`);
const clusterStateFile = () => path.join(cacheDir(), 'cluster-up.json');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `kchaos run --help` and the like: every command's flags are in the one usage text.
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'setup': {
      const { values } = parseArgs({ args: rest, options: { 'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION } } });
      const done = await setup({ kafkaVersion: values['kafka-version'], log });
      log(`setup: ok — Kafka ${done.kafka.version} (${done.kafka.source}), Toxiproxy ${done.toxiproxyServer}`);
      return 0;
    }
    case 'cluster':
      return clusterCommand(rest);
    case 'run':
      return runCommand(rest);
    case 'check':
      return checkCommand(rest, (line) => process.stdout.write(`${line}\n`));
    case 'baseline':
      if (rest[0] !== 'save') throw new HarnessError(`unknown command "baseline ${rest[0] ?? ''}"`, { hint: 'use: kchaos baseline save RESULTS --out FILE' });
      return baselineCommand(rest.slice(1), console);
    case 'gate':
      return gateCommand(rest, console);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT_USAGE_OR_SETUP : 0;
    default:
      throw new HarnessError(`unknown command ${JSON.stringify(command)}`, { hint: 'run kchaos help' });
  }
}

async function clusterCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'up') {
    const { values } = parseArgs({ args: rest, options: { 'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION }, backend: { type: 'string' }, ...EXTERNAL_BACKEND_FLAGS } });
    const backend = backendOptions(values);
    checkBackendOptions(backend);
    const cluster = await startCluster({ ...backend, kafkaVersion: values['kafka-version'], log });
    fs.mkdirSync(cacheDir(), { recursive: true });
    fs.writeFileSync(clusterStateFile(), JSON.stringify({ pid: process.pid, ...describeCluster(cluster) }));
    onShutdown(async () => {
      fs.rmSync(clusterStateFile(), { force: true });
      await cluster.stop();
    });
    process.stdout.write(`${JSON.stringify(describeCluster(cluster))}\n`);
    log('cluster: up; Ctrl-C or "kchaos cluster down" stops it');
    await new Promise(() => {}); // until a signal; the shutdown hook stops the cluster and exits
  }
  if (action === 'down') {
    let state: { pid?: number } = {};
    try {
      state = JSON.parse(fs.readFileSync(clusterStateFile(), 'utf8'));
    } catch {
      log('cluster: none running (no state file)');
      return 0;
    }
    if (state.pid && isAlive(state.pid)) {
      process.kill(state.pid, 'SIGTERM');
      while (isAlive(state.pid)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    fs.rmSync(clusterStateFile(), { force: true });
    log('cluster: down');
    return 0;
  }
  throw new HarnessError(`unknown command "cluster ${action ?? ''}"`, { hint: 'use: kchaos cluster up | kchaos cluster down' });
}

/** Flags of the external backend (`run` and `cluster up`). */
const EXTERNAL_BACKEND_FLAGS = { bootstrap: { type: 'string' }, toxiproxy: { type: 'string' }, 'proxy-map': { type: 'string' } } as const;

function backendOptions(values: { backend?: string; bootstrap?: string; toxiproxy?: string; 'proxy-map'?: string }): BackendOptions {
  return {
    backend: values.backend as BackendName | undefined,
    bootstrap: values.bootstrap,
    toxiproxy: values.toxiproxy,
    proxyMap: values['proxy-map'] === undefined ? undefined : parseProxyMap(values['proxy-map']),
  };
}

async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', default: 'runs' },
      repeat: { type: 'string', default: '1' },
      backend: { type: 'string' },
      reporter: { type: 'string' },
      'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION },
      ...EXTERNAL_BACKEND_FLAGS,
    },
  });
  const backend = backendOptions(values);
  checkBackendOptions(backend); // before a run folder is made: a bad command line is exit 2 and leaves nothing
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new HarnessError(`--repeat ${values.repeat} is not a positive integer`, { hint: 'use e.g. --repeat 5' });
  const scenarios = resolveScenarios(positionals);
  const { exitCode, results } = await runScenarios(scenarios, {
    outDir: values.out,
    repeat,
    reporters: values.reporter ? createReporters(parseReporterNames(values.reporter)) : undefined,
    backend: { ...backend, kafkaVersion: values['kafka-version'], log },
    suite: positionals.join(' '),
  });
  if (results.repeatSummary) process.stdout.write(`\n${formatRepeatSummary(results.repeatSummary)}\n`);
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof HarnessError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`kchaos: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!usage && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(EXIT_USAGE_OR_SETUP);
  },
);
