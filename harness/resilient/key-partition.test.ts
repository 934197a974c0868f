import { Partitioners } from 'kafkajs';
import { murmur2, partitionForKey } from './key-partition';

test('murmur2 gives the Kafka clients\' values for known inputs', () => {
  // Values from the Java client's Utils.murmur2 (its test suite and the kafkajs one agree).
  expect(murmur2(Buffer.from('21'))).toBe(-973932308);
  expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
  expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
  expect(murmur2(Buffer.from(''))).toBe(275646681);
});

test('keys land where kafkajs\' default partitioner puts them, for every tail length', () => {
  const partitioner = Partitioners.DefaultPartitioner();
  for (const partitions of [1, 3, 7, 12]) {
    const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));
    for (let i = 0; i < 500; i++) {
      const key = `k-${i}${'x'.repeat(i % 5)}`;
      expect(partitionForKey(key, partitions)).toBe(partitioner({ topic: 't', partitionMetadata, message: { key, value: 'v' } }));
    }
  }
});
