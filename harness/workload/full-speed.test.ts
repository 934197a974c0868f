import { defineScenario } from '../../scenarios/define-scenario';
import { DEFAULT_PRODUCER_SETTINGS } from '../clients/producer-under-test';
import { DEFAULT_WORKLOAD } from './workload';
import { FULL_SPEED, fullSpeedDefaults, RDKAFKA_QUEUE_MESSAGES } from './full-speed';

const fullSpeed = (client: 'node-rdkafka' | 'kafkajs' | 'java', extra: object = {}) => defineScenario({ name: `t/${client}`, client, workload: { ratePerSec: null }, ...extra });

describe('ratePerSec null: each client at its best configuration', () => {
  test('node-rdkafka: a window as deep as librdkafka\'s own queue, a linger, librdkafka\'s batch size; one message per call', () => {
    const s = fullSpeed('node-rdkafka');
    expect(s.workload.concurrency).toBe(RDKAFKA_QUEUE_MESSAGES);
    expect(s.config).toMatchObject({ lingerMs: 5, batchSizeBytes: 1_000_000, messagesPerSend: 1 });
  });

  test('kafkajs: several messages per send()', () => {
    expect(fullSpeed('kafkajs').config.messagesPerSend).toBeGreaterThan(1);
  });

  test('java: batches to the driver, a linger and a wider batch', () => {
    expect(fullSpeed('java').config).toMatchObject(FULL_SPEED.java.config);
    expect(fullSpeed('java').workload.concurrency).toBe(FULL_SPEED.java.workload.concurrency);
  });

  test('what the scenario sets wins over the profile', () => {
    const s = fullSpeed('node-rdkafka', { config: { lingerMs: 0 }, workload: { ratePerSec: null, concurrency: 7 } });
    expect(s.config.lingerMs).toBe(0);
    expect(s.workload.concurrency).toBe(7);
    expect(s.config.batchSizeBytes).toBe(1_000_000);
  });

  test('a rate, the resilient mode, a team\'s producer: settings as before', () => {
    const paced = defineScenario({ name: 'p', client: 'node-rdkafka', workload: { ratePerSec: 100 } });
    expect(paced.config.lingerMs).toBe(DEFAULT_PRODUCER_SETTINGS.lingerMs);
    expect(paced.workload.concurrency).toBe(DEFAULT_WORKLOAD.concurrency);
    expect(fullSpeedDefaults({ client: 'kafkajs', mode: 'resilient', workload: { ratePerSec: null } })).toEqual({ config: {}, workload: {} });
    expect(fullSpeedDefaults({ client: 'custom', mode: 'library-only', workload: { ratePerSec: null } })).toEqual({ config: {}, workload: {} });
    expect(fullSpeedDefaults({ client: 'kafkajs', mode: 'library-only', workload: { ratePerSec: null }, transactions: {} })).toEqual({ config: {}, workload: {} });
  });
});
