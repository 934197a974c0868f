/**
 * The clients that have a consumer under test (harness/consumers/consumers.ts registers one factory
 * for each). Kept apart from the factories so scenario validation does not load the libraries.
 */
export const CONSUMER_CLIENTS = ['kafkajs', 'node-rdkafka', 'confluent'] as const;
export type ConsumerClientName = (typeof CONSUMER_CLIENTS)[number];
