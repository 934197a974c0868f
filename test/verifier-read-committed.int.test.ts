import { LibrdKafkaError, Producer } from 'node-rdkafka';
import type { StartedCluster } from '../harness/cluster/started-cluster';
import { drainTopic } from '../harness/verify/verifier';
import { attachSharedCluster } from './shared-cluster';

// The verifier reads read_committed: records of aborted transactions are not observed, transaction
// markers leave offset gaps, and an open transaction (LSO below the high-water mark) neither hangs
// the drain nor shows its records. A real transactional producer writes over the DIRECT listeners.

/** initTransactions on a fresh cluster waits for the transaction state log to be created. */
const TXN_TIMEOUT_MS = 30_000;

let cluster: StartedCluster;
beforeAll(async () => {
  cluster = await attachSharedCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

const call = (run: (cb: (error: LibrdKafkaError) => void) => void) =>
  new Promise<void>((resolve, reject) => run((error) => (error ? reject(error) : resolve())));

function transactionalProducer(bootstrap: string): Producer {
  return new Producer({
    'metadata.broker.list': bootstrap,
    'client.id': 'kchaos-verifier-txn-test',
    'transactional.id': `kchaos-verifier-txn-${process.pid}-${Date.now()}`,
    'enable.idempotence': true,
    'linger.ms': 0,
  });
}

test('drainTopic returns only committed records, with gaps at the markers, and does not wait for an open transaction', async () => {
  const topic = `verifier-read-committed-${Date.now().toString(36)}`;
  await cluster.createTopic(topic);
  const producer = transactionalProducer(cluster.directBootstrap);
  await call((cb) => producer.connect({}, (error) => cb(error as LibrdKafkaError)));
  try {
    await call((cb) => producer.initTransactions(TXN_TIMEOUT_MS, cb));
    const transaction = async (partition: number, seqs: number[], end: 'commit' | 'abort') => {
      await call((cb) => producer.beginTransaction(cb));
      for (const seq of seqs) producer.produce(topic, partition, Buffer.from(JSON.stringify({ seq })), `k-${seq}`);
      // Written to the log before the end (an abort would otherwise purge them unsent).
      await call((cb) => producer.flush(TXN_TIMEOUT_MS, cb));
      await call((cb) => (end === 'commit' ? producer.commitTransaction(TXN_TIMEOUT_MS, cb) : producer.abortTransaction(TXN_TIMEOUT_MS, cb)));
    };
    // Partition 0: committed 0-2 (offsets 0-2, marker 3), aborted 3-4 (4-5, marker 6), committed 5-6 (7-8, marker 9).
    await transaction(0, [0, 1, 2], 'commit');
    await transaction(0, [3, 4], 'abort');
    await transaction(0, [5, 6], 'commit');
    // Partition 1: only an aborted transaction (offset 0, marker 1).
    await transaction(1, [7], 'abort');
    // Partition 2: a transaction still open while the drain runs (its record written, not committed).
    await call((cb) => producer.beginTransaction(cb));
    producer.produce(topic, 2, Buffer.from(JSON.stringify({ seq: 8 })), 'k-8');
    await call((cb) => producer.flush(TXN_TIMEOUT_MS, cb));

    const startedMs = Date.now();
    const records = await drainTopic(cluster.directBootstrap, topic, { timeoutMs: 20_000 });
    const tookMs = Date.now() - startedMs;

    expect(records.map((r) => [r.partition, r.offset, r.seq])).toEqual([
      [0, 0, 0],
      [0, 1, 1],
      [0, 2, 2],
      [0, 7, 5],
      [0, 8, 6],
    ]);
    expect(records.map((r) => r.key)).toEqual(['k-0', 'k-1', 'k-2', 'k-5', 'k-6']);
    expect(tookMs).toBeLessThan(10_000); // read to the ends, not to a timeout

    // Once the open transaction commits (its marker is written just after commitTransaction
    // returns), its record is observed too.
    await call((cb) => producer.commitTransaction(TXN_TIMEOUT_MS, cb));
    const committedAt = (records: Array<{ partition: number; offset: number; seq: number | null }>) =>
      records.filter((r) => r.partition === 2).map((r) => [r.offset, r.seq]);
    let after = committedAt(await drainTopic(cluster.directBootstrap, topic, { timeoutMs: 20_000 }));
    for (const untilMs = Date.now() + 10_000; after.length === 0 && Date.now() < untilMs; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = committedAt(await drainTopic(cluster.directBootstrap, topic, { timeoutMs: 20_000 }));
    }
    expect(after).toEqual([[0, 8]]);
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(5_000, () => resolve()));
    await cluster.deleteTopic(topic).catch(() => {});
  }
}, 90_000);
