import { probePacketSupport } from '../harness/faults/packet-support';
import { SUITES } from '../scenarios/suites';
import { nftTables } from './packet-probe';
import { testRunDir } from './shared-cluster';
import { suiteOnSharedCluster } from './suite-on-shared-cluster';

// CI's share of the `partitions` suite (72 scenarios, `kchaos run partitions`): the clients whose
// unkeyed partitioning differs most, under the two packet faults, library alone. Verdicts asserted,
// the run's results.json written beside the seed suite's (partitions-results/).
const SUBSET = ['kafkajs', 'node-rdkafka'].flatMap((client) =>
  ['partition', 'partition-oneway'].map((fault) => `partitions/${client}/round-robin/library-only/${fault}-k1`),
);
const scenarios = SUITES.partitions().filter((s) => SUBSET.includes(s.name));
const support = probePacketSupport();
const describeIfPackets = support.available ? describe : describe.skip;
const why = support.available ? '' : ` — skipped: packet faults need ${support.missing}`;
const { run } = suiteOnSharedCluster({
  id: 'partitions-subset-test', suite: 'partitions', total: scenarios.length, reporters: ['json'], outDir: `${testRunDir()}/partitions-results`,
});

test('the subset is the four scenarios it names', () => {
  expect(scenarios.map((s) => s.name).sort()).toEqual([...SUBSET].sort());
});

describeIfPackets(`partitions suite, CI subset${why}`, () => {
  describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    test('holds its expectations, and leaves no packet rule behind', async () => {
      await run(scenario);
      expect(nftTables().filter((t) => t.startsWith(`kchaos_${process.pid}_`))).toEqual([]);
    }, 120_000);
  });
});
