import { createConfluentTransactional } from './confluent-transactional';
import { createJavaTransactional } from './java-transactional';
import { createKafkajsTransactional } from './kafkajs-transactional';
import { createRdkafkaTransactional } from './rdkafka-transactional';
import type { TransactionalFactory } from './transactional-producer';

/** Clients with a transactional producer, by scenario client name (confluent: when its optional package is installed; java: when a JDK is). */
export const TRANSACTIONAL_CLIENTS = {
  kafkajs: createKafkajsTransactional,
  'node-rdkafka': createRdkafkaTransactional,
  confluent: createConfluentTransactional,
  java: createJavaTransactional,
} as const satisfies Record<string, TransactionalFactory>;

export type TransactionalClient = keyof typeof TRANSACTIONAL_CLIENTS;

export function isTransactionalClient(client: string): client is TransactionalClient {
  return Object.hasOwn(TRANSACTIONAL_CLIENTS, client);
}
