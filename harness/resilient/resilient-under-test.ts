import fs from 'node:fs';
import path from 'node:path';
import type { ProducerFactory, ProducerUnderTest, SendOutcome } from '../clients/producer-under-test';
import type { StrategyName } from '../strategies/partition-strategy';
import { HARNESS_KEYED_POLICY } from './harness-keyed-policy';
import { createResilientProducer } from './resilient-producer';
import type { ResilientClient } from './resilient-options';
import { ResilientSendError } from './resilient-send-error';

/** Written beside the scenario's history when the producer closes: the resilient producer's counters. */
export const RESILIENT_STATS_FILE = 'resilient-stats.json';

/**
 * The producer under test of mode 'resilient': the strategy's placement becomes the resilient
 * producer's message (round-robin: no key, no partition; hashing: the key; manual: the partition,
 * which the resilient producer may move while its leader is unhealthy). A message kept in the
 * backlog is reported as ok with offset null (its partition, or null): the producer promised it durably,
 * so the checker's lostAcked holds it to that promise.
 */
export function resilientProducerFactory(client: ResilientClient, strategy: StrategyName, scenarioDir: string): ProducerFactory {
  return (bootstrap, topic, settings): ProducerUnderTest => {
    const producer = createResilientProducer({
      client,
      bootstrap,
      topic,
      settings,
      keyedPolicy: HARNESS_KEYED_POLICY[strategy],
      backlog: { dir: path.join(scenarioDir, 'backlog') },
    });
    const sendOne = (m: { key: string | null; partition: number | null; value: Buffer }): Promise<SendOutcome> =>
      producer.send({ key: m.key, partition: m.partition, value: m.value }).then(
        (r): SendOutcome => ({ ok: true, partition: r.partition, offset: r.offset }),
        (error: unknown): SendOutcome => ({
          ok: false,
          definite: error instanceof ResilientSendError && error.definite,
          error: error instanceof Error ? error.message : String(error),
          partition: m.partition,
        }),
      );
    return {
      client,
      connect: () => producer.connect(),
      send: (messages) => Promise.all(messages.map(sendOne)),
      async close(timeoutMs) {
        await producer.close({ timeoutMs });
        fs.writeFileSync(path.join(scenarioDir, RESILIENT_STATS_FILE), `${JSON.stringify({ keyedPolicy: HARNESS_KEYED_POLICY[strategy], ...producer.stats() }, null, 2)}\n`);
      },
    };
  };
}
