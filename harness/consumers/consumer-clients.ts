/**
 * The clients that have a consumer under test. Kept apart from the factories so scenario
 * validation does not load the libraries.
 * - Library clients run in harness/consumers/consumer-child.ts through an adapter registered in
 *   harness/consumers/consumers.ts (one factory for each).
 * - Command clients are a process of their own that speaks docs/consumer-protocol.md and is its
 *   own application (java: java/KchaosConsumerDriver.java).
 */
export const LIBRARY_CONSUMER_CLIENTS = ['kafkajs', 'node-rdkafka', 'confluent'] as const;
export const COMMAND_CONSUMER_CLIENTS = ['java'] as const;
export const CONSUMER_CLIENTS = [...LIBRARY_CONSUMER_CLIENTS, ...COMMAND_CONSUMER_CLIENTS] as const;
export type ConsumerClientName = (typeof CONSUMER_CLIENTS)[number];
export type LibraryConsumerClientName = (typeof LIBRARY_CONSUMER_CLIENTS)[number];
