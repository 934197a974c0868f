import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarnessError } from './errors';
import { defaultParallel, sendingLimit } from './lanes/parallel-option';
import { CHECK_USAGE } from './check-command';
import { BASELINE_USAGE } from '../reports/baseline';
import { GATE_USAGE } from '../reports/gate';
import { REPORT_USAGE } from '../reports/report-command';

/**
 * The usage of every kchaos command, keyed by its words ("cluster up"), and the help/parse rules
 * all of them share: `--help` or `-h` anywhere before a `--` prints that command's usage (exit 0);
 * an unknown or malformed option is a usage error whose fix is that command's usage (exit 2).
 */

const EXTERNAL_FLAGS = `  --backend local|docker|external   default: docker when \`docker info\` answers within 2 s, else local
                                    (external when --bootstrap is given; env KCHAOS_BACKEND)
  --bootstrap HOST:PORT,…           external backend: the cluster's DIRECT (unproxied) bootstrap
  --toxiproxy URL                   external backend: the Toxiproxy API (default http://127.0.0.1:8474)
  --proxy-map 1=k1,2=k2,3=k3        external backend: broker id = Toxiproxy proxy name
  --kafka-version V                 Kafka release for the local and docker backends (default 4.3.1)
  --kafka-image IMAGE               docker backend: the Kafka image (env KCHAOS_KAFKA_IMAGE; default apache/kafka:<version>)
  --toxiproxy-image IMAGE           docker backend: the Toxiproxy image (env KCHAOS_TOXIPROXY_IMAGE; default
                                    ghcr.io/shopify/toxiproxy:2.12.0); kchaos docker build-images builds both offline`;

export const COMMANDS = {
  setup: {
    summary: 'fetch Kafka jars (Maven) and build Toxiproxy (go) into the cache',
    usage: `kchaos setup [--kafka-version V]

Fetches the Kafka broker jars with Maven and builds Toxiproxy with \`go install\` into the cache
(KCHAOS_CACHE, default ~/.cache/kafka-chaos-harness). Also done on first use; a second run takes
well under a second. Needs Java 17+, Maven and Go, or KAFKA_HOME and toxiproxy-server on PATH.
Then says whether packet faults (partition, partition-oneway, tcp-reset) can run: they need nft
(apt-get install -y nftables) and root or CAP_NET_ADMIN; nothing else does.`,
  },
  'cluster up': {
    summary: 'start a cluster, print its addresses as JSON, stay up until Ctrl-C',
    usage: `kchaos cluster up [options]

Starts a cluster and prints one JSON line {"directBootstrap", "proxiedBootstrap", "toxiproxy",
"brokers"}; stays up until Ctrl-C, SIGTERM or \`kchaos cluster down\`.

${EXTERNAL_FLAGS}`,
  },
  'cluster down': {
    summary: 'stop the cluster started by "kchaos cluster up"',
    usage: `kchaos cluster down

Stops the cluster of \`kchaos cluster up\` (found through its state file in the cache).`,
  },
  run: {
    summary: 'run suites, scenarios or scenario files; exit 0 all expectations hold, 1 some failed, 2 usage/set-up error',
    usage: `kchaos run <suite|scenario|file…> [options]

Runs scenarios and writes DIR/<run-id>/{results.json, junit.xml, report.html} and DIR/latest.
Arguments: a suite (seed, seed-full, partitions, semantics, resilient, consumers, transactions), a scenario name
(seed/kafkajs/hashing/workaround/blackhole-k1), a prefix ending in / (seed/kafkajs/), or a
scenario file (*.scenario.ts or .js with a default export, or .json).

  --out DIR                         parent folder of run folders (default runs)
  --repeat N                        run each scenario N times and print a repeat summary (default 1)
  --parallel N                      scenarios at once on one cluster, each in a client lane of its own
                                    (its own proxies: faults on one lane's links leave the others alone);
                                    process, replication-link, min-ISR, transaction and consumer scenarios
                                    run alone. Default: 4 per core, at most 8 (${defaultParallel()} here), of which
                                    1 per core (${sendingLimit()} here) may be starting or sending at once: the
                                    others only wait on their client's timeouts. 1 = one at a time.
                                    Local and docker backends; external runs 1
  --reporter LIST                   comma-separated: json,junit,html,console (default all four)
  --shard i/n                       run only shard i of n (1 <= i <= n): the plan sorted by scenario name,
                                    cut into n contiguous parts of equal size (±1), the same on every
                                    machine; a scenario's repeats stay on one shard. Merge the shards'
                                    run folders with \`kchaos merge\` (docs/ci.md)
${EXTERNAL_FLAGS}

Exit codes: 0 every expectation held, 1 some failed, 2 usage or set-up error.`,
  },
  check: {
    summary: 're-check an archived run offline',
    usage: `${CHECK_USAGE.replace(/^usage:\s*/, '')}

Re-checks a scenario's history.jsonl and observed.jsonl offline and prints its counts (--json: one
JSON object). Exit 0 pass, 1 fail or unknown, 2 usage or unreadable input.`,
  },
  'baseline save': {
    summary: 'write a baseline from a results.json',
    usage: `${BASELINE_USAGE}

Writes the counts and verdicts of a run (its results.json) as a baseline for \`kchaos gate\`.`,
  },
  gate: {
    summary: 'exit 1 and list what got worse than the baseline',
    usage: `${GATE_USAGE}

Compares a run's results.json with a baseline: exit 1 and one line per regression, else 0.`,
  },
  report: {
    summary: 'render report.html again from a results.json, optionally compared with a baseline',
    usage: `${REPORT_USAGE}

Renders the HTML report of a run from its results.json; history files are read relative to the
results' folder. Writes report.html beside the results unless --out FILE.

  --out FILE                        where to write the page (default: report.html beside RESULTS)
  --baseline FILE                   a baseline from \`kchaos baseline save\`: each scenario is marked
                                    worse, better, same or new (by \`kchaos gate\`'s tolerances)`,
  },
  merge: {
    summary: 'merge the run folders of a sharded run (--shard i/n) into one results.json, junit.xml and report.html',
    usage: `kchaos merge RUN_DIR… [--out DIR]

Merges the run folders of one sharded run (each written by \`kchaos run … --shard i/n\`, or their
results.json) into DIR/<merged-run-id>/ and DIR/latest: one results.json, junit.xml and report.html
over every shard, with each scenario's history.jsonl and observed.jsonl copied in so the merged
report shows them. Refuses folders that are not parts of one run (another Kafka version, suite,
--repeat, shard count or plan; a shard or scenario given twice). A missing shard is named and
leaves the merged run incomplete.

  --out DIR                         parent folder of the merged run folder (default runs)

Exit codes: 0 every expectation held and no shard is missing, 1 some failed or the merge is
incomplete, 2 usage error or folders that do not belong together.`,
  },
  'docker build-images': {
    summary: 'build the Kafka and Toxiproxy images offline (no registry) for the docker backend',
    usage: `kchaos docker build-images [--kafka-version V] [--kafka-image TAG] [--toxiproxy-image TAG] [--force]

Builds, with no container registry, the images the docker backend needs, from what the local backend
fetches: kchaos/kafka:<version> (FROM scratch: a JRE cut with jlink from this machine's JDK, the
shared libraries it loads, a static busybox and the Kafka jars from Maven; it takes apache/kafka's
KAFKA_* environment, turned into server.properties by Kafka's own KafkaDockerWrapper) and
kchaos/toxiproxy:<version> (FROM scratch: Toxiproxy built by go install with CGO off). Needs a
running Docker engine, a JDK with jlink (openjdk-17-jdk-headless), busybox-static, Maven and Go.
Prints {"kafkaImage", "toxiproxyImage"}; use them with --kafka-image / --toxiproxy-image or
KCHAOS_KAFKA_IMAGE / KCHAOS_TOXIPROXY_IMAGE. An image built from the same inputs (its io.kchaos.inputs
label) is kept; one built from other inputs is rebuilt.
About 1-3 min the first time (jlink and go install are cached), seconds after. See docs/docker.md.

  --kafka-version V                 Kafka release (4.x; default 4.3.1)
  --kafka-image TAG                 tag of the Kafka image (default kchaos/kafka:<version>)
  --toxiproxy-image TAG             tag of the Toxiproxy image (default kchaos/toxiproxy:2.12.0)
  --force                           rebuild even an image built from today's inputs (its io.kchaos.inputs label)`,
  },
  init: {
    summary: 'scaffold chaos tests in your repository: scenario, jest config and test, CI workflow with a baseline gate',
    usage: `kchaos init [--dir DIR] [--producer-module FILE | --producer-command "CMD ARG…"] [--ci local|docker] [--force]

Writes chaos/producer.scenario.ts (scenarios for your producer), chaos/producer.chaos.test.ts and
jest.chaos.config.cjs (the jest preset and matchers), .github/workflows/kafka-chaos.yml (tests, a
kchaos run and a baseline gate), and adds npm scripts (chaos, chaos:run) and allowScripts entries
to package.json. Without --producer-*, also a sample kafkajs producer, chaos/producer.ts, to replace.
Existing files are kept unless --force.

  --dir DIR                         the repository root (default .)
  --producer-module FILE            your module exporting createProducer(bootstrap, settings)
  --producer-command "CMD ARG…"     your producer as a child process (docs/producer-protocol.md); split at spaces, no shell
  --ci local|docker                 the workflow's backend: local (Java + Go on the runner, default) or docker
  --force                           overwrite files that exist`,
  },
} as const;

export type CommandName = keyof typeof COMMANDS;

/** Commands made of two words; the first alone prints the usage of both. */
const GROUPS: Record<string, CommandName[]> = { cluster: ['cluster up', 'cluster down'], baseline: ['baseline save'], docker: ['docker build-images'] };

export const GLOBAL_USAGE = `kchaos — chaos tests for Kafka clients (producers, consumers, transactions)

${(Object.keys(COMMANDS) as CommandName[]).map((name) => `  kchaos ${name.padEnd(14)} ${COMMANDS[name].summary}`).join('\n')}

\`kchaos <command> --help\` prints a command's usage. Environment: KCHAOS_CACHE (default
~/.cache/kafka-chaos-harness), KAFKA_HOME (use an unpacked Kafka instead of Maven), KCHAOS_BACKEND, KCHAOS_KAFKA_IMAGE,
KCHAOS_TOXIPROXY_IMAGE, NO_COLOR.`;

/** "usage: kchaos run …" for a command, or the usage of every command of a group ("cluster"). */
export function usageOf(words: string): string | undefined {
  if (words in COMMANDS) return `usage: ${COMMANDS[words as CommandName].usage}`;
  const group = GROUPS[words];
  return group ? group.map((name) => `usage: ${COMMANDS[name].usage}`).join('\n\n') : undefined;
}

/** The command's words within argv ("cluster up", "run", "cluster" when the action is missing or unknown). */
export function commandWords(argv: readonly string[]): string | undefined {
  const [first, second] = argv;
  if (first === undefined) return undefined;
  if (GROUPS[first]) return `${first} ${second}` in COMMANDS ? `${first} ${second}` : first;
  return first;
}

/** `--help` or `-h` among the arguments (before a `--`, after which everything is an operand). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * What `kchaos …` prints for help, or undefined when argv asks for none: `kchaos`, `kchaos help`
 * and `kchaos --help` give the overview; `kchaos help run` and `kchaos run --help` give run's usage.
 */
export function helpText(argv: readonly string[]): string | undefined {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return GLOBAL_USAGE;
  if (first === 'help') return (rest.length > 0 && usageOf(rest.join(' '))) || GLOBAL_USAGE;
  if (!wantsHelp(rest)) return undefined;
  const words = commandWords(argv);
  return (words && usageOf(words)) || GLOBAL_USAGE;
}

/** node:util parseArgs (strict) whose errors are usage errors naming the command's usage. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(
  command: CommandName,
  args: readonly string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    throw new HarnessError(`kchaos ${command}: ${(error as Error).message}`, { hint: `usage: ${COMMANDS[command].usage.split('\n')[0]} (kchaos ${command} --help for every option)` });
  }
}
