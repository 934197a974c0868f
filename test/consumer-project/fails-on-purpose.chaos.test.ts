// Fails on purpose: the consumer-project test asserts the matcher's message.
import path from 'node:path';
import { useSharedCluster } from 'kafka-chaos-harness/jest-preset';

const kafka = useSharedCluster();

test('a producer that drops acknowledged messages fails toLoseNoAcknowledgedMessages', async () => {
  const result = await kafka.run({ name: 'team/drops-every-tenth', producer: { module: path.join(__dirname, 'dropping-producer.ts') }, workload: { messages: 50 } });
  expect(result).toLoseNoAcknowledgedMessages();
});
