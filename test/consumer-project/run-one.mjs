// (b) The same through ESM import, with the team's TypeScript producer module (loaded through tsx on demand).
import path from 'node:path';
import { connectExternalCluster, runScenario } from 'kafka-chaos-harness';

const cluster = await connectExternalCluster(JSON.parse(process.env.KCHAOS_CLUSTER));
try {
  const result = await runScenario({
    name: 'team/mjs/own-producer-no-fault',
    producer: { module: path.resolve('chaos', 'producer.ts') },
    workload: { messages: 50 },
  }, { cluster });
  console.log(JSON.stringify({ verdict: result.verdict, client: result.client, counts: result.counts, error: result.error }));
} finally {
  await cluster.stop();
}
