import { createKafkajsConsumer } from './kafkajs-consumer';
import { createRdkafkaConsumer } from './rdkafka-consumer';
import type { ConsumerFactory } from './consumer-under-test';

/** The consumer libraries the harness can put under test, by the client name scenarios use. */
export const CONSUMERS: Record<string, ConsumerFactory> = {
  kafkajs: createKafkajsConsumer,
  'node-rdkafka': createRdkafkaConsumer,
};

export function consumerClients(): string[] {
  return Object.keys(CONSUMERS);
}
