import { createConfluentProducer } from './confluent-producer';
import { createJavaProducer } from './java-producer';
import { createKafkajsProducer } from './kafkajs-producer';
import { createRdkafkaProducer } from './rdkafka-producer';
import { ProducerFactory } from './producer-under-test';

/** The producer libraries the harness can put under test, by the name scenarios use. */
export const CLIENTS = {
  kafkajs: createKafkajsProducer,
  'node-rdkafka': createRdkafkaProducer,
  java: createJavaProducer,
  confluent: createConfluentProducer,
} as const satisfies Record<string, ProducerFactory>;
