/**
 * Producer A of test/resilient-backlog.int.test.ts, in a process of its own so that the test can
 * SIGKILL it: a resilient producer with an on-disk backlog sends keyed messages (harness values,
 * so the verifier reads their seqs back), prints one JSON line per settled send, then "settled"
 * with its stats, and waits to be killed. It never calls close().
 *
 * argv[2]: {"client","bootstrap","topic","dir","messages","payloadBytes"}
 */
import { createResilientProducer } from '../harness/resilient/resilient-producer';
import type { ResilientClient } from '../harness/resilient/resilient-options';
import { encodeValue } from '../harness/workload/workload';

interface ChildConfig {
  client: ResilientClient;
  bootstrap: string;
  topic: string;
  dir: string;
  messages: number;
  payloadBytes: number;
}

const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as ChildConfig;
  const producer = createResilientProducer({
    client: config.client,
    bootstrap: config.bootstrap,
    topic: config.topic,
    keyedPolicy: 'hold',
    backlog: { dir: config.dir },
  });
  await producer.connect();
  say({ event: 'connected' });
  await Promise.all(
    Array.from({ length: config.messages }, (_, seq) =>
      producer.send({ key: `k-${seq}`, value: encodeValue(seq, 1, config.payloadBytes) }).then(
        (result) => say({ event: 'accepted', seq, ...result }),
        (error: Error) => say({ event: 'rejected', seq, error: error.message }),
      ),
    ),
  );
  say({ event: 'settled', stats: producer.stats() });
  setInterval(() => {}, 60_000); // wait for SIGKILL: no close(), no drain
}

main().catch((error) => {
  say({ event: 'error', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
