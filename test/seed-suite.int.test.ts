import { SUITES } from '../scenarios/suites';
import { recheckFromDisk, recheckedPart } from './offline-recheck';
import { testRunDir } from './shared-cluster';
import { suiteOnSharedCluster } from './suite-on-shared-cluster';

// The seed suite as jest tests on the shared cluster: one test per scenario, the verdict asserted,
// its archived files re-checked offline (as `kchaos check` would) to the same counts, and the run's
// reports (results.json, junit.xml, report.html) written at the end.
const scenarios = SUITES.seed();
const { run } = suiteOnSharedCluster({ id: 'seed-suite-test', suite: 'seed', total: scenarios.length, reporters: ['json', 'junit', 'html'] });

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
  test('holds its expectations', async () => {
    const result = await run(scenario);
    // What results.json will hold for it is what its history.jsonl + observed.jsonl give offline.
    expect(await recheckFromDisk(testRunDir(), result, scenario.expect)).toEqual(recheckedPart(result));
  }, 90_000);
});
