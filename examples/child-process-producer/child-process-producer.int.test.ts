/**
 * A producer written as a child process (any language; Node with kafkajs here) put under test with
 * `producer: { command: [...] }`. The harness spawns it without a shell, speaks
 * docs/producer-protocol.md with it, and records and checks its history like a built-in client's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { useSharedCluster } from '../../jest-preset';

const kafka = useSharedCluster();
// A scenario takes 10-30 s (jest's default test timeout is 5 s; the preset sets 120 s for the whole run).
const SCENARIO_TIMEOUT_MS = 90_000;

test('a child-process producer runs a scenario end to end', async () => {
  const result = await kafka.run({
    name: 'examples/child-process-producer/no-fault',
    producer: { command: [process.execPath, path.join(__dirname, 'producer.js')] },
    workload: { messages: 150 },
  });

  expect(result.error).toBeUndefined();
  expect(result.client).toBe('custom');
  expect(result.counts).toMatchObject({ attempted: 150, acked: 150, observed: 150 });
  expect(result).toLoseNoAcknowledgedMessages();
  expect(result).toDeliverEverything();
  expect(result).toHaveNoDuplicates();
  // Not toKeepOrder(): kafkajs with many sends outstanding at once (workload.concurrency) may put
  // early messages of a partition out of order even without a fault; the matcher would say which.
  // The same evidence as for a built-in client: every send's invoke and ok in the history.
  const history = fs.readFileSync(path.join(result.runDir, result.artifacts.history), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  expect(history.filter((op) => op.f === 'send' && op.type === 'ok')).toHaveLength(150);
}, SCENARIO_TIMEOUT_MS);
