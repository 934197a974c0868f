/**
 * The files `kchaos init` writes into a team's repository. Each is a function of the choices made
 * on the command line, so the consumer-project test runs exactly what a team gets.
 */

export type ProducerChoice = { kind: 'sample' } | { kind: 'module'; file: string } | { kind: 'command'; argv: string[] };
export type CiBackend = 'local' | 'docker';

/** Where the scaffold puts its files, relative to the repository root. */
export const CHAOS_DIR = 'chaos';
/** .cjs: CommonJS whether or not the team's package.json says "type": "module". */
export const JEST_CONFIG_FILE = 'jest.chaos.config.cjs';
export const WORKFLOW_FILE = '.github/workflows/kafka-chaos.yml';
export const RUNS_DIR = 'chaos-runs';
export const BASELINE_FILE = `${CHAOS_DIR}/baseline.json`;

export function sampleProducer(): string {
  return `// The producer under test: replace the body with yours (your wrapper, retry logic and config).
// The harness calls createProducer with bootstrap addresses behind its Toxiproxy proxies, then
// send() once per message and close() at the end. Resolve send = acknowledged; reject = the app
// saw a failure (add definite: true to the error when you know nothing was written).
import { Kafka, logLevel } from 'kafkajs';
import type { CustomProducerFactory } from 'kafka-chaos-harness';

export const createProducer: CustomProducerFactory = (bootstrap, settings) => {
  const kafka = new Kafka({ clientId: 'chaos-test', brokers: bootstrap.split(','), requestTimeout: settings.requestTimeoutMs, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  return {
    connect: () => producer.connect(),
    async send({ key, value, partition }) {
      // Send value unchanged: the verifier reads each message's seq from it.
      const [meta] = await producer.send({ topic: settings.topic, acks: -1, messages: [{ key, value, partition: partition ?? undefined }] });
      return { partition: meta.partition, offset: meta.baseOffset ?? null };
    },
    close: () => producer.disconnect(),
  };
};
`;
}

function producerSpec(choice: ProducerChoice): string {
  if (choice.kind === 'command') return `{ command: ${JSON.stringify(choice.argv)} } // run in the working directory, no shell; speaks docs/producer-protocol.md`;
  const file = choice.kind === 'sample' ? 'producer.ts' : choice.file;
  return `{ module: path.join(__dirname, ${JSON.stringify(file)}) }`;
}

export function scenarioFile(choice: ProducerChoice): string {
  return `// Chaos scenarios for our producer: \`npx kchaos run ${CHAOS_DIR}/producer.scenario.ts\` runs them (writes
// ${RUNS_DIR}/latest/report.html with --out ${RUNS_DIR}); ${CHAOS_DIR}/producer.chaos.test.ts runs them under jest.
// Fields and defaults: the "Scenario fields" table of kafka-chaos-harness's README.
import path from 'node:path';
import { defineScenario } from 'kafka-chaos-harness';

const producer = ${producerSpec(choice)};

export default [
  // Control: the cluster and the producer are healthy; every message must be read back.
  defineScenario({ name: 'team/producer/no-fault', producer, workload: { messages: 150 }, expect: { undelivered: 0, lostAcked: 0 } }),
  // KAFKA-3686: the producer cannot reach k1 (leader of partition 0), which stays healthy.
  // No expect: every count a Kafka promise covers for this config must be 0 (lostAcked among them);
  // undelivered is the finding (add expect: { undelivered: 0 } once your producer delivers everything).
  defineScenario({ name: 'team/producer/blackhole-k1', producer, faults: [{ kind: 'blackhole', target: 'k1' }], workload: { messages: 150 } }),
];
`;
}

export function chaosTest(): string {
  return `// Run with \`npm run chaos\` (jest -c ${JEST_CONFIG_FILE}): one real Kafka cluster for the whole run.
import { useSharedCluster } from 'kafka-chaos-harness/jest-preset';
import scenarios from './producer.scenario';

const kafka = useSharedCluster();
const [noFault, blackholeK1] = scenarios;

test('delivers every message when nothing is wrong', async () => {
  const result = await kafka.run(noFault);
  expect(result).toDeliverEverything();
  expect(result).toLoseNoAcknowledgedMessages();
});

test('loses no acknowledged message while it cannot reach k1', async () => {
  const result = await kafka.run(blackholeK1);
  expect(result).toLoseNoAcknowledgedMessages();
  // The question the harness answers: does our producer deliver everything? Uncomment when it should.
  // expect(result).toDeliverEverything();
});
`;
}

export function jestConfig(): string {
  return `// Chaos tests with kafka-chaos-harness (\`npm run chaos\`): the preset starts one cluster for the run
// (or attaches to KCHAOS_CLUSTER, the JSON \`npx kchaos cluster up\` prints), adds the matchers and a
// TypeScript transform, and runs one test file at a time.
module.exports = {
  preset: 'kafka-chaos-harness/jest-preset',
  testMatch: ['<rootDir>/${CHAOS_DIR}/**/*.chaos.test.{ts,js}'],
};
`;
}

const LOCAL_STEPS = `      # Local backend: Kafka brokers run as JVMs (jars fetched with Maven), Toxiproxy is built with Go.
      - uses: actions/setup-java@v4
        with: { distribution: temurin, java-version: '17' }
      - uses: actions/setup-go@v5
        with: { go-version: stable }
`;

export function workflow(backend: CiBackend): string {
  return `# Chaos tests of our Kafka producer (kafka-chaos-harness), written by \`kchaos init --ci ${backend}\`.
name: kafka-chaos
on:
  push:
    branches: [main]
  pull_request:

jobs:
  chaos:
    runs-on: ubuntu-latest
    timeout-minutes: 40
    env:
      KCHAOS_BACKEND: ${backend}${backend === 'docker' ? ' # the runner\'s Docker engine: apache/kafka and Toxiproxy containers' : ''}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20, cache: npm }
${backend === 'local' ? LOCAL_STEPS : ''}      - run: npm ci
${backend === 'local' ? '      - run: npx kchaos setup\n' : ''}      - name: chaos tests (jest preset and matchers)
        run: npx jest -c ${JEST_CONFIG_FILE}
      - name: scenarios, with report and results for the gate
        run: npx kchaos run ${CHAOS_DIR}/producer.scenario.ts --out ${RUNS_DIR}
      - name: gate against the committed baseline
        run: |
          if [ -f ${BASELINE_FILE} ]; then
            npx kchaos gate --baseline ${BASELINE_FILE} ${RUNS_DIR}/latest/results.json
          else
            echo "no ${BASELINE_FILE} yet: run npx kchaos baseline save ${RUNS_DIR}/latest/results.json --out ${BASELINE_FILE} and commit it"
          fi
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: kafka-chaos-report
          path: ${RUNS_DIR}/latest/
`;
}
