import fs from 'node:fs';
import path from 'node:path';
import { checkCommand } from './check-command';
import { helpText, parseCommandLine } from './cli-usage';
import { parseInitArgs, runInit } from './init/init-command';
import { BackendOptions, checkBackendOptions, parseProxyMap, startCluster } from './cluster/start-cluster';
import { describeCluster, BackendName } from './cluster/started-cluster';
import { EXIT_USAGE_OR_SETUP, HarnessError } from './errors';
import { cacheDir } from './paths';
import { KAFKA_IMAGE_ENV, TOXIPROXY_IMAGE_ENV } from './docker-images/image-names';
import { isAlive } from './process/process-liveness';
import { onShutdown } from './process/child-processes';
import { DEFAULT_KAFKA_VERSION } from './provision/kafka-jars';
import { setup } from './provision/setup';
import { describeIsolation, isolateConfluentLibrdkafka } from './provision/isolate-confluent-librdkafka';
import { describePacketSupport } from './faults/packet-support';
import { formatRepeatSummary } from './repeat-summary';
import { runScenarios } from './run-suite';
import { defaultParallel, parseParallel } from './lanes/parallel-option';
import { baselineCommand } from '../reports/baseline';
import { gateCommand } from '../reports/gate';
import { reportCommand } from '../reports/report-command';
import { mergeCommand } from '../reports/merge-command';
import { shardOfPlan } from './shard/shard-option';
import { createReporters, parseReporterNames } from '../reports/registry';
import { resolveScenarios } from '../scenarios/load-scenarios';


const log = (line: string) => process.stderr.write(`${line}\n`);
const clusterStateFile = () => path.join(cacheDir(), 'cluster-up.json');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `kchaos run --help`, `kchaos help run`, `kchaos cluster up -h`: that command's own usage.
  const help = helpText(argv);
  if (help !== undefined) {
    process.stdout.write(`${help}\n`);
    return command === undefined ? EXIT_USAGE_OR_SETUP : 0;
  }
  switch (command) {
    case 'setup': {
      const { values } = parseCommandLine('setup', rest, { 'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION } });
      const done = await setup({ kafkaVersion: values['kafka-version'], log });
      log(`setup: ok — Kafka ${done.kafka.version} (${done.kafka.source}), Toxiproxy ${done.toxiproxyServer}`);
      log(`setup: ${describePacketSupport()}`); // optional: only scenarios with packet faults need it
      log(`setup: ${describeIsolation(isolateConfluentLibrdkafka())}`);
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
    case 'report':
      return reportCommand(rest, console);
    case 'merge':
      return mergeCommand(rest, log);
    case 'docker':
      return dockerCommand(rest);
    case 'init':
      return runInit(parseInitArgs(rest), (line) => process.stdout.write(`${line}\n`));
    default:
      throw new HarnessError(`unknown command ${JSON.stringify(command)}`, { hint: 'run kchaos --help for the list of commands' });
  }
}

async function clusterCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'up') {
    const { values } = parseCommandLine('cluster up', rest, { 'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION }, backend: { type: 'string' }, ...EXTERNAL_BACKEND_FLAGS });
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
    parseCommandLine('cluster down', rest, {});
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

async function dockerCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'build-images') throw new HarnessError(`unknown command "docker ${action ?? ''}"`, { hint: 'use: kchaos docker build-images (kchaos docker build-images --help)' });
  const { values } = parseCommandLine('docker build-images', rest, {
    'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION }, 'kafka-image': { type: 'string' }, 'toxiproxy-image': { type: 'string' }, force: { type: 'boolean', default: false },
  });
  const { buildImages } = await import('./docker-images/build-images');
  const built = await buildImages({ kafkaVersion: values['kafka-version'], kafkaImage: values['kafka-image'], toxiproxyImage: values['toxiproxy-image'], force: values.force, log });
  process.stdout.write(`${JSON.stringify(built)}\n`);
  log(`build-images: use them with --backend docker --kafka-image ${built.kafkaImage} --toxiproxy-image ${built.toxiproxyImage} (or export ${KAFKA_IMAGE_ENV}=${built.kafkaImage} ${TOXIPROXY_IMAGE_ENV}=${built.toxiproxyImage})`);
  return 0;
}

/** Flags of the external backend (`run` and `cluster up`). */
const EXTERNAL_BACKEND_FLAGS = {
  bootstrap: { type: 'string' }, toxiproxy: { type: 'string' }, 'proxy-map': { type: 'string' },
  'kafka-image': { type: 'string' }, 'toxiproxy-image': { type: 'string' },
} as const;

function backendOptions(values: { backend?: string; bootstrap?: string; toxiproxy?: string; 'proxy-map'?: string; 'kafka-image'?: string; 'toxiproxy-image'?: string }): BackendOptions {
  return {
    backend: values.backend as BackendName | undefined,
    kafkaImage: values['kafka-image'],
    toxiproxyImage: values['toxiproxy-image'],
    bootstrap: values.bootstrap,
    toxiproxy: values.toxiproxy,
    proxyMap: values['proxy-map'] === undefined ? undefined : parseProxyMap(values['proxy-map']),
  };
}

async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('run', args, {
    out: { type: 'string', default: 'runs' },
    repeat: { type: 'string', default: '1' },
    parallel: { type: 'string' },
    backend: { type: 'string' },
    reporter: { type: 'string' },
    'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION },
    shard: { type: 'string' },
    ...EXTERNAL_BACKEND_FLAGS,
  }, true);
  const backend = backendOptions(values);
  checkBackendOptions(backend); // before a run folder is made: a bad command line is exit 2 and leaves nothing
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new HarnessError(`--repeat ${values.repeat} is not a positive integer`, { hint: 'use e.g. --repeat 5' });
  // --shard i/n: this machine's share of the plan, its reporters recording which share (harness/shard/).
  const { scenarios, wrapReporters } = shardOfPlan(resolveScenarios(positionals), values.shard, log);
  const { exitCode, results } = await runScenarios(scenarios, {
    outDir: values.out,
    repeat,
    reporters: wrapReporters(values.reporter ? createReporters(parseReporterNames(values.reporter)) : createReporters()),
    backend: { ...backend, kafkaVersion: values['kafka-version'], log },
    suite: positionals.join(' '),
    parallel: parseParallel(values.parallel) ?? defaultParallel(),
    parallelExplicit: values.parallel !== undefined,
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
