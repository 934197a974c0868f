import { HarnessError } from '../errors';
import { errorText } from './error-text';

describe('errorText', () => {
  test('names the error and follows its cause, skipping a cause the wrapper already quotes', () => {
    const root = new Error('connect ECONNREFUSED 127.0.0.1:40123');
    expect(errorText(new HarnessError('the readiness topic was not created', { cause: root })))
      .toBe('HarnessError: the readiness topic was not created; caused by: connect ECONNREFUSED 127.0.0.1:40123');
    const retried = Object.assign(new Error(root.message, { cause: root }), { name: 'KafkaJSNumberOfRetriesExceeded' });
    expect(errorText(retried)).toBe('KafkaJSNumberOfRetriesExceeded: connect ECONNREFUSED 127.0.0.1:40123');
  });

  test('lists the reasons an aggregate error carries, with their Kafka error codes', () => {
    const reasons = [
      Object.assign(new Error('Broker: Invalid replica assignment'), { type: 'INVALID_REPLICA_ASSIGNMENT' }),
      Object.assign(new Error('This is not the correct controller for this cluster'), { type: 'NOT_CONTROLLER' }),
    ];
    const aggregate = Object.assign(new Error('Topic creation errors'), { name: 'KafkaJSAggregateError', errors: reasons });
    expect(errorText(aggregate)).toBe(
      'KafkaJSAggregateError: Topic creation errors; caused by: Broker: Invalid replica assignment (INVALID_REPLICA_ASSIGNMENT); ' +
        'caused by: This is not the correct controller for this cluster (NOT_CONTROLLER)',
    );
  });

  test('anything thrown gives some text; very long text is cut', () => {
    expect(errorText('plain string')).toBe('plain string');
    expect(errorText({ message: 'an object with a message' })).toBe('an object with a message');
    expect(errorText(undefined)).toBe('undefined');
    const cyclic: Error & { cause?: unknown } = new Error('cycle');
    cyclic.cause = cyclic;
    expect(errorText(cyclic)).toBe('cycle');
    expect(errorText(new Error('x'.repeat(5_000))).length).toBeLessThanOrEqual(2_001);
  });
});
