import { lossGroups, modeComparisons, runFindings, worstScenarioIndex } from './report-findings';
import { counts, expectation, scenarioResult } from './testing/results-builder';

const blackhole = [{ kind: 'blackhole', target: 'k1', atMs: 0, healAtMs: 1000 }];
const seed = [
  scenarioResult({ name: 'seed/kafkajs/hashing/library-only/blackhole-k1', client: 'kafkajs', strategy: 'hashing', mode: 'library-only', faults: blackhole, counts: counts({ attempted: 300, undelivered: 88 }) }),
  scenarioResult({ name: 'seed/kafkajs/hashing/workaround/blackhole-k1', client: 'kafkajs', strategy: 'hashing', mode: 'workaround', faults: blackhole, counts: counts({ attempted: 300, undelivered: 86 }) }),
  scenarioResult({ name: 'seed/kafkajs/hashing/resilient/blackhole-k1', client: 'kafkajs', strategy: 'hashing', mode: 'resilient', faults: blackhole, counts: counts({ attempted: 300, undelivered: 0 }) }),
  scenarioResult({ name: 'seed/confluent/manual/library-only/blackhole-k1', client: 'confluent', strategy: 'manual', mode: 'library-only', faults: blackhole, counts: counts({ attempted: 300, undelivered: 100 }) }),
  scenarioResult({ name: 'seed/confluent/manual/workaround/blackhole-k1', client: 'confluent', strategy: 'manual', mode: 'workaround', faults: blackhole, counts: counts({ attempted: 300, undelivered: 0, duplicates: 4 }) }),
  scenarioResult({ name: 'seed/confluent/manual/library-only/no-fault', client: 'confluent', strategy: 'manual', mode: 'library-only', faults: [], counts: counts({ attempted: 300 }) }),
];

describe('runFindings', () => {
  it('says in words what was lost, where, and what each mode changed', () => {
    const text = runFindings(seed).lines.map((l) => [l.text, ...(l.items ?? [])].join('\n')).join('\n');
    expect(text).toContain('6 scenarios: 6 pass, 0 fail, 0 unknown.');
    expect(text).toContain('274 of 1,800 attempted messages (15%) were never read back (undelivered) in 3 scenarios.');
    expect(text).toContain('No acknowledged message was lost');
    expect(text).toContain('4 extra copies were read back (duplicates) in 1 scenario; most in seed/confluent/manual/workaround/blackhole-k1 (4).');
    expect(text).toContain('Worst scenario: seed/confluent/manual/library-only/blackhole-k1: 100 of 300 undelivered (33%).');
    expect(text).toContain('confluent · manual · library-only · blackhole: 100 of 300 (33%)');
    expect(text).not.toContain('no fault: 0');
    expect(text).toContain('workaround beside the library alone (2 scenarios compared; undelivered per run): lost nothing in 1 where the library alone lost, lost less in 1, added duplicates in 1.');
    expect(text).toContain('lost less: seed/kafkajs/hashing/blackhole-k1: 88 → 86');
    expect(text).toContain('resilient beside the library alone (1 scenario compared; undelivered per run): lost nothing in 1 where the library alone lost.');
  });

  it('names lost acknowledged messages and failed verdicts first of all when there are any', () => {
    const bad = scenarioResult({ name: 'x', counts: counts({ lostAcked: 2, undelivered: 2 }), verdict: 'fail', expectations: [expectation('lostAcked', 'eq', 0, 2)] });
    const findings = runFindings([...seed, bad]);
    expect(findings.worstIndex).toBe(seed.length);
    const text = findings.lines.map((l) => [l.text, ...(l.items ?? [])].join('\n')).join('\n');
    expect(text).toContain('Acknowledged messages lost (lostAcked, a durability violation): 2, in 1 scenario:\nx: 2');
    expect(text).toContain('Not passed (1):\nx: fail (lostAcked 2)');
  });

  it('has nothing to single out in a clean run', () => {
    expect(worstScenarioIndex([scenarioResult()])).toBeNull();
    expect(runFindings([]).lines).toEqual([{ text: 'No scenario finished.' }]);
  });

  it('groups by client, strategy, mode and fault kind, and pairs modes by name (repeats per run)', () => {
    expect(lossGroups(seed).map((g) => `${g.client}/${g.mode}/${g.fault}`)).toContain('confluent/library-only/no fault');
    const repeated = [
      scenarioResult({ name: 's/a/library-only/f', mode: 'library-only', counts: counts({ undelivered: 10 }) }),
      scenarioResult({ name: 's/a/library-only/f#2', mode: 'library-only', counts: counts({ undelivered: 30 }) }),
      scenarioResult({ name: 's/a/workaround/f', mode: 'workaround', counts: counts({ undelivered: 5 }) }),
    ];
    expect(modeComparisons(repeated)).toEqual([{ mode: 'workaround', label: 's/a/f', libraryOnly: 20, withMode: 5, duplicatesBefore: 0, duplicatesAfter: 0 }]);
  });
});
