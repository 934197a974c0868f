import { kafkajsFailureIsDefinite, PossiblyWrittenAttempts } from './kafkajs-producer';

// What kafkajs logs at level ERROR for a failed produce attempt (sendMessages.js), and its errors.
const log = (message: string) => ({ namespace: 'Producer', level: 1, label: 'ERROR', log: { message, timestamp: '' } });

test('attempts that may have written (a timed-out request, a connection closed in flight) are counted; refusals are not', () => {
  const attempts = new PossiblyWrittenAttempts();
  const logEntry = attempts.logCreator();
  logEntry(log('Failed to send messages: Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
  expect(attempts.count).toBe(0);
  logEntry(log('Request Produce(key: 0, version: 7) timed out'));
  logEntry(log('Failed to send messages: Closed connection'));
  expect(attempts.count).toBe(2);
});

test('only a refused connection or NOT_ENOUGH_REPLICAS, as the last cause, reads as definite', () => {
  const wrapped = (cause: object) => Object.assign(new Error('KafkaJSNumberOfRetriesExceeded'), { cause });
  expect(kafkajsFailureIsDefinite(wrapped(Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })))).toBe(true);
  expect(kafkajsFailureIsDefinite(wrapped(Object.assign(new Error('Not enough in-sync replicas'), { type: 'NOT_ENOUGH_REPLICAS' })))).toBe(true);
  expect(kafkajsFailureIsDefinite(wrapped(new Error('Request Produce(key: 0, version: 7) timed out')))).toBe(false);
  expect(kafkajsFailureIsDefinite(wrapped(new Error('Closed connection')))).toBe(false);
});
