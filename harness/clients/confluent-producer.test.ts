import { CODES } from 'node-rdkafka';
import { DEFAULT_PRODUCER_SETTINGS } from './producer-under-test';
import { confluentConfig, confluentErrorCode, describeConfluentError, failureOutcome, loadConfluent, offsetOf, TroubleLog } from './confluent-producer';

const E = CODES.ERRORS;
// What the KafkaJS-compatible API rejects a send with: a KafkaJSError carrying librdkafka's code.
const kafkaJSError = (code: number, message: string) => Object.assign(new Error(message), { name: 'KafkaJSError', code });

test('settings map onto KafkaJS names where the API has them and librdkafka properties where it has none; raw wins', () => {
  const settings = { ...DEFAULT_PRODUCER_SETTINGS, requestTimeoutMs: 1500, deliveryTimeoutMs: 2000, retries: 3, acks: 'all' as const, raw: { 'linger.ms': 7 } };
  const { common, producer } = confluentConfig('127.0.0.1:1,127.0.0.1:2', settings, new TroubleLog());
  expect(common.kafkaJS).toMatchObject({ brokers: ['127.0.0.1:1', '127.0.0.1:2'], requestTimeout: 1500, connectionTimeout: 1500, retry: { retries: 3 } });
  expect(producer.kafkaJS).toMatchObject({ acks: -1, timeout: 1500, idempotent: false, maxInFlightRequests: 5, allowAutoTopicCreation: false, retry: { retries: 3 } });
  // The KafkaJS API has no delivery deadline: without the top-level property librdkafka's 300 s applies.
  expect(producer['message.timeout.ms']).toBe(2000);
  expect(producer['linger.ms']).toBe(7);
  expect(producer.dr_msg_cb).toBe(true);
  expect(confluentConfig('b:1', { ...settings, acks: 1 }, new TroubleLog()).producer.kafkaJS).toMatchObject({ acks: 1 });
});

test('every librdkafka line at info or worse is trouble (NOTICE arrives as info); a debug line only from REQTMOUT or FAIL', () => {
  const log = new TroubleLog();
  const atSend = log.count;
  log.debug('Sent MetadataRequest', { fac: 'SEND' });
  expect(log.since(atSend)).toBe(false);
  log.debug('Timed out ProduceRequest in flight', { fac: 'REQTMOUT' });
  expect(log.since(atSend)).toBe(true);
  const afterTimeout = log.count;
  expect(log.since(afterTimeout)).toBe(false); // a send made after the trouble has seen none yet
  log.info('Disconnected', { fac: 'FAIL' });
  expect(log.since(afterTimeout)).toBe(true);
  const afterDisconnect = log.count;
  log.warn('Broker transport failure', { fac: 'FAIL' });
  expect(log.since(afterDisconnect)).toBe(true);
  const afterWarn = log.count;
  log.error('Connect to ipv4#127.0.0.1:1 failed: Connection refused', { fac: 'FAIL' });
  expect(log.since(afterWarn)).toBe(true);
  expect(log.count).toBe(4);
  expect(log.namespace()).toBe(log);
});

test('the error code is the one the API carries; the description names it', () => {
  const timedOut = kafkaJSError(E.ERR__MSG_TIMED_OUT, 'Local: Message timed out');
  expect(confluentErrorCode(timedOut)).toBe(E.ERR__MSG_TIMED_OUT);
  expect(confluentErrorCode(new Error('no code'))).toBeNull();
  expect(confluentErrorCode(null)).toBeNull();
  expect(describeConfluentError(timedOut)).toBe('KafkaJSError ERR__MSG_TIMED_OUT: Local: Message timed out');
});

test('a failure is definite only for errors that prove the message unwritten, and a broker refusal only with no trouble since the send', () => {
  const settings = { retries: 1 };
  const timedOut = kafkaJSError(E.ERR__MSG_TIMED_OUT, 'Local: Message timed out');
  const notEnough = kafkaJSError(E.ERR_NOT_ENOUGH_REPLICAS, 'Broker: Not enough in-sync replicas');
  const unknownPartition = kafkaJSError(E.ERR__UNKNOWN_PARTITION, 'Local: Unknown partition');
  expect(failureOutcome(timedOut, settings, false, 0, null)).toMatchObject({ ok: false, definite: false, partition: 0, tried: [0] });
  expect(failureOutcome(notEnough, settings, false, 1, 1)).toMatchObject({ definite: true, partition: 1 });
  expect(failureOutcome(notEnough, settings, true, 1, 1)).toMatchObject({ definite: false });
  expect(failureOutcome(notEnough, { retries: 0 }, true, 1, 1)).toMatchObject({ definite: true });
  expect(failureOutcome(unknownPartition, settings, true, null, 7)).toMatchObject({ definite: true, partition: 7 });
  // No report named a partition and the app named none: unknown, not guessed.
  const unplaced = failureOutcome(new Error('no code'), settings, false, null, null);
  expect(unplaced).toMatchObject({ definite: false, partition: null });
  expect(unplaced).not.toHaveProperty('tried');
});

test('offsets arrive as strings; a negative sentinel (acks=0) or none is unknown', () => {
  expect(offsetOf('42')).toBe(42);
  expect(offsetOf('0')).toBe(0);
  expect(offsetOf('-1001')).toBeNull();
  expect(offsetOf(null)).toBeNull();
  expect(offsetOf(undefined)).toBeNull();
});

test('a missing package is one error naming the install command', () => {
  const missing = () => {
    throw new Error("Cannot find module '@confluentinc/kafka-javascript'\nRequire stack: …");
  };
  expect(() => loadConfluent(missing)).toThrow(/client "confluent" needs @confluentinc\/kafka-javascript[\s\S]*fix: CKJS_LINKING=dynamic npm install @confluentinc\/kafka-javascript/);
});
