import { spawnSync } from 'node:child_process';
import { isolateConfluentLibrdkafka } from '../harness/provision/isolate-confluent-librdkafka';

// Real modules in real processes: which librdkafka each client runs on when one process loads
// both, in either order (harness/clients/own-librdkafka.ts says why it matters).
const confluentInstalled = (() => {
  try {
    require.resolve('@confluentinc/kafka-javascript');
    return true;
  } catch {
    return false;
  }
})();

/** librdkafkaVersion of both clients, loaded in `order` in a fresh node process. */
function versionsLoaded(order: ['node-rdkafka' | '@confluentinc/kafka-javascript', ...string[]]): Record<string, string> {
  const script = `const v = {}; for (const m of ${JSON.stringify(order)}) v[m] = require(m).librdkafkaVersion; console.log(JSON.stringify(v));`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, string>;
}

const builtWith = (pkg: string) => (require(`${pkg}/package.json`) as { librdkafka: string }).librdkafka;

(confluentInstalled ? describe : describe.skip)('each librdkafka client runs on its own librdkafka (skipped when the optional Confluent client is not installed)', () => {
  beforeAll(() => {
    // What `kchaos setup` did in CI; here it must find nothing left to rename.
    expect(isolateConfluentLibrdkafka()).not.toBe('renamed');
  });

  it.each([
    [['node-rdkafka', '@confluentinc/kafka-javascript']],
    [['@confluentinc/kafka-javascript', 'node-rdkafka']],
  ] as const)('loaded in the order %j', (order) => {
    const versions = versionsLoaded([...order]);
    expect(versions['node-rdkafka']).toBe(builtWith('node-rdkafka'));
    expect(versions['@confluentinc/kafka-javascript']).toBe(builtWith('@confluentinc/kafka-javascript'));
  });
});
