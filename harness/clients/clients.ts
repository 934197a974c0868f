import { createJavaProducer } from './java-producer';
import { createKafkajsProducer } from './kafkajs-producer';
import { createRdkafkaProducer } from './rdkafka-producer';
import { ProducerFactory } from './producer-under-test';

/** The producer libraries the harness can put under test, by the name scenarios use. */
export const CLIENTS = {
  kafkajs: createKafkajsProducer,
  'node-rdkafka': createRdkafkaProducer,
  java: createJavaProducer,
} as const satisfies Record<string, ProducerFactory>;
