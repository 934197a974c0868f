/**
 * What a team's own test looks like with the preset. In your repository the imports are
 * `from 'kafka-chaos-harness/jest-preset'` and jest.config has `preset: 'kafka-chaos-harness/jest-preset'`
 * (which also registers the matchers); here, inside the harness, the integration project's global
 * setup provides the cluster and the matchers.
 */
import path from 'node:path';
import { useSharedCluster } from '../../jest-preset';

const kafka = useSharedCluster();
// A scenario takes 10-30 s (jest's default test timeout is 5 s; the preset sets 120 s for the whole run).
const SCENARIO_TIMEOUT_MS = 90_000;

// The seed's fault: the producer cannot reach broker k1 (it accepts connections, then passes
// nothing), while k1 stays healthy and keeps leading partition 0.
const k1Blackholed = [{ kind: 'blackhole' as const, target: 'k1' }];
const workload = { messages: 150 };

test('the outbox producer delivers every message while k1 is blackholed', async () => {
  const result = await kafka.run({
    name: 'examples/outbox-producer/blackhole-k1',
    producer: { module: path.join(__dirname, 'outbox-producer.ts') },
    faults: k1Blackholed,
    workload,
  });

  expect(result.client).toBe('custom');
  expect(result.counts.attempted).toBe(150);
  expect(result).toLoseNoAcknowledgedMessages();
  expect(result).toDeliverEverything();
}, SCENARIO_TIMEOUT_MS);

test('kept as a check of the matcher: plain kafkajs (library only) under the same fault fails toDeliverEverything, naming the count and the first seqs', async () => {
  const result = await kafka.run({
    name: 'examples/outbox-producer/plain-kafkajs/blackhole-k1',
    client: 'kafkajs',
    faults: k1Blackholed,
    workload,
  });

  expect(result.error).toBeUndefined();
  expect(result.counts.undelivered).toBeGreaterThan(0); // the library alone loses partition 0's messages
  const first = result.anomalies.undelivered.slice(0, 3).join(', ');
  const failure = new RegExp(`undelivered ${result.counts.undelivered} of 150 attempted messages[\\s\\S]*first seqs: ${first}`);
  expect(() => expect(result).toDeliverEverything()).toThrow(failure);
}, SCENARIO_TIMEOUT_MS);
