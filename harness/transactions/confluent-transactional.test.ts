import { confluentCallFailure } from './confluent-transactional';

test("a transactional call's failure carries the package's librdkafka flags", () => {
  const error = Object.assign(new Error('Broker: Producer attempted an operation with an old epoch'), { name: 'KafkaJSError', retriable: false, abortable: false, fatal: true, code: 47 });
  expect(confluentCallFailure(error)).toMatchObject({ ok: false, retriable: false, abortable: false, fatal: true });
  expect(confluentCallFailure(Object.assign(new Error('Local: Timed out'), { retriable: true }))).toMatchObject({ retriable: true, abortable: false, fatal: false });
  expect(confluentCallFailure(Object.assign(new Error('abort needed'), { abortable: true }))).toMatchObject({ retriable: false, abortable: true, fatal: false });
});

test('an error without flags is neither retriable, abortable nor fatal, and its text is kept', () => {
  const outcome = confluentCallFailure(new Error('Cannot commit, no transaction ongoing.'));
  expect(outcome).toMatchObject({ ok: false, retriable: false, abortable: false, fatal: false });
  expect(outcome.ok === false && outcome.error).toContain('no transaction ongoing');
});
