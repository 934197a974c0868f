import { chunks, parseJavaRecords } from './copier-java';
import { parseCallResult } from './java-transactional-driver';
import { parseJavaSendOutcome } from './java-transactional';

const message = { seq: 3, key: 'tx0:3', partition: 1, value: Buffer.from('x') };

test('a call answer: ok, or the driver\'s classification kept as it is', () => {
  expect(parseCallResult({ type: 'call-result', id: 1, ok: true })).toEqual({ ok: true });
  expect(parseCallResult({ ok: false, error: 'TimeoutException: x', retriable: true, abortable: false, fatal: false })).toEqual({
    ok: false, error: 'TimeoutException: x', retriable: true, abortable: false, fatal: false,
  });
  expect(parseCallResult({ ok: false, error: 'ProducerFencedException: y', fatal: true })).toMatchObject({ fatal: true, retriable: false, abortable: false });
});

test('a malformed call answer is a fatal failure naming it (a new instance, never a guessed success)', () => {
  expect(parseCallResult({ ok: 'yes' })).toMatchObject({ ok: false, fatal: true, error: expect.stringContaining('malformed') });
  expect(parseCallResult({ gone: true, error: 'the Java driver exited (SIGKILL)' })).toMatchObject({ ok: false, fatal: true, error: 'the Java driver exited (SIGKILL)' });
});

test('send outcomes: acked with its offset, a failure definite only when the driver says so, malformed unknown', () => {
  expect(parseJavaSendOutcome({ ok: true, partition: 1, offset: 7 }, message)).toEqual({ ok: true, partition: 1, offset: 7 });
  expect(parseJavaSendOutcome({ ok: true, partition: 1, offset: -1 }, message)).toEqual({ ok: true, partition: 1, offset: null });
  expect(parseJavaSendOutcome({ ok: false, definite: true, error: 'e', partition: null }, message)).toEqual({ ok: false, definite: true, error: 'e', partition: 1 });
  expect(parseJavaSendOutcome({ ok: false, error: 'e' }, message)).toMatchObject({ definite: false });
  expect(parseJavaSendOutcome(null, message)).toMatchObject({ ok: false, definite: false, error: expect.stringContaining('malformed') });
});

test('poll records: base64 values decoded, the seq read from the value; a record without an integer offset is refused', () => {
  const value = Buffer.from('{"seq":42}');
  const records = parseJavaRecords([{ partition: 2, offset: 9, value: value.toString('base64') }]);
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ partition: 2, offset: 9, seq: 42 });
  expect(records[0].value.equals(value)).toBe(true);
  expect(() => parseJavaRecords([{ partition: 2, offset: '9' }])).toThrow(/malformed record/);
  expect(() => parseJavaRecords(undefined)).toThrow(/no records list/);
});

test('a poll is handed over in batches of at most max, in order', () => {
  expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(chunks([], 10)).toEqual([]);
  expect(chunks([1, 2], 0)).toEqual([[1], [2]]);
});
