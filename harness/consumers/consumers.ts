import { createKafkajsConsumer } from './kafkajs-consumer';
import { createRdkafkaConsumer } from './rdkafka-consumer';
import { createConfluentConsumer } from './confluent-consumer';
import type { ConsumerClientName } from './consumer-clients';
import type { ConsumerFactory } from './consumer-under-test';

/** The consumer libraries the harness can put under test, by the client name scenarios use (add the name to CONSUMER_CLIENTS too). */
export const CONSUMERS: Record<ConsumerClientName, ConsumerFactory> = {
  kafkajs: createKafkajsConsumer,
  'node-rdkafka': createRdkafkaConsumer,
  // Confluent's kafka-javascript (the fourth client's room); not yet in the consumers suite nor measured.
  confluent: createConfluentConsumer,
};
