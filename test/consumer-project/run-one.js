// (a) A team's plain CommonJS script: one scenario on the cluster in KCHAOS_CLUSTER, through require().
const { connectExternalCluster, runScenario } = require('kafka-chaos-harness');

async function main() {
  const cluster = await connectExternalCluster(JSON.parse(process.env.KCHAOS_CLUSTER));
  try {
    const result = await runScenario({
      name: 'team/js/kafkajs-refuse-k1',
      client: 'kafkajs',
      faults: [{ kind: 'refuse', target: 'k1' }],
      workload: { messages: 100 },
    }, { cluster });
    console.log(JSON.stringify({ verdict: result.verdict, counts: result.counts, error: result.error }));
  } finally {
    await cluster.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
