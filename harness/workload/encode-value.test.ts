import { encodeValue } from './workload';

test('values are JSON carrying the seq, padded to about the payload size', () => {
  const value = encodeValue(42, 2, 100);
  expect(JSON.parse(value.toString())).toMatchObject({ seq: 42, attempt: 2 });
  expect(value.length).toBeGreaterThanOrEqual(90);
  expect(value.length).toBeLessThanOrEqual(100);
  expect(JSON.parse(encodeValue(1, 1, 0).toString())).toEqual({ seq: 1, attempt: 1 });
});
