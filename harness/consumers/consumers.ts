import { createKafkajsConsumer } from './kafkajs-consumer';
import { createRdkafkaConsumer } from './rdkafka-consumer';
import { createConfluentConsumer } from './confluent-consumer';
import type { LibraryConsumerClientName } from './consumer-clients';
import type { ConsumerFactory } from './consumer-under-test';

/** The consumer libraries the harness can put under test, by the client name scenarios use (add the name to LIBRARY_CONSUMER_CLIENTS too). */
export const CONSUMERS: Record<LibraryConsumerClientName, ConsumerFactory> = {
  kafkajs: createKafkajsConsumer,
  'node-rdkafka': createRdkafkaConsumer,
  // Confluent's kafka-javascript (an optional dependency; the fourth client's adapter).
  confluent: createConfluentConsumer,
};
