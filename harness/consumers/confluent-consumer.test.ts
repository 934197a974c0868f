import { DEFAULT_CONSUMER_SETTINGS } from './consumer-under-test';
import { confluentConsumerConfig } from './confluent-consumer';

const settings = { ...DEFAULT_CONSUMER_SETTINGS, groupId: 'g1' };
const noRebalance = () => {};

test('auto-commit and fromBeginning go in the kafkaJS block (the API refuses them in run() and subscribe()); librdkafka properties at the top level', () => {
  const config = confluentConsumerConfig('127.0.0.1:1,127.0.0.1:2', { ...settings, mode: 'auto-commit', autoCommitIntervalMs: 700 }, 'c1', noRebalance);
  expect(config.kafkaJS).toMatchObject({ brokers: ['127.0.0.1:1', '127.0.0.1:2'], groupId: 'g1', clientId: 'kchaos-confluent-c1', fromBeginning: true, autoCommit: true, autoCommitInterval: 700 });
  expect(config['max.poll.interval.ms']).toBe(settings.maxPollIntervalMs);
  expect(config.rebalance_cb).toBe(noRebalance);
  // The API stores offsets itself and refuses this property.
  expect(config).not.toHaveProperty('enable.auto.offset.store');
});

test('the commit modes turn auto-commit off; latest reads from the end; raw wins', () => {
  const config = confluentConsumerConfig('b:1', { ...settings, mode: 'commit-after-processing', autoOffsetReset: 'latest', raw: { 'fetch.wait.max.ms': 5 } }, 'c2', noRebalance);
  expect(config.kafkaJS).toMatchObject({ autoCommit: false, fromBeginning: false });
  expect(config['fetch.wait.max.ms']).toBe(5);
  // kafkajs' autoCommitThreshold has no counterpart here: never passed on.
  expect(JSON.stringify(confluentConsumerConfig('b:1', { ...settings, autoCommitThreshold: 10 }, 'c3', noRebalance))).not.toContain('Threshold');
});
