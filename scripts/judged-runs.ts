import { evaluateSpec } from '../harness/checker/expectations';
import { baseScenarioName, summarizeRepeats } from '../harness/repeat-summary';
import type { RunResults } from '../reports/results-types';
import { isSuiteName, SUITES } from '../scenarios/suites';

/** --repeat runs as the measured-summary scripts (scripts/measured.ts, scripts/transactions-measured.ts) read them. */

/**
 * Counts are the run's; verdicts are re-judged with the suite's expectations as committed, so the
 * summary says how the pins in the code fare against every measured run. A run that errored stays
 * unknown: it counts in the verdicts but not in the count ranges, whose counts it does not have
 * (an unread topic would read as everything lost).
 */
export function judgedByCurrentPins(suite: string, results: RunResults): RunResults {
  if (!isSuiteName(suite)) throw new Error(`no suite "${suite}"; suites: ${Object.keys(SUITES).join(', ')}`);
  const expectations = new Map(SUITES[suite]().map((s) => [s.name, s.expect]));
  const order = [...expectations.keys()];
  const position = (name: string) => order.indexOf(baseScenarioName(name));
  const inSuiteOrder = [...results.scenarios].sort((a, b) => position(a.name) - position(b.name)); // stable: repeats keep their order
  const scenarios = inSuiteOrder.map((s) => {
    const expect = expectations.get(baseScenarioName(s.name));
    if (!expect) throw new Error(`scenario ${s.name} is no longer in suite ${suite}`);
    const holds = evaluateSpec(expect, s.counts).every((r) => r.pass);
    return { ...s, verdict: s.error ? ('unknown' as const) : holds ? ('pass' as const) : ('fail' as const) };
  });
  const measuredRanges = new Map(summarizeRepeats(scenarios.filter((s) => !s.error)).map((e) => [e.name, e.ranges]));
  const repeatSummary = summarizeRepeats(scenarios).map((e) => ({ ...e, ranges: measuredRanges.get(e.name) ?? {} }));
  return { ...results, run: { ...results.run, suite }, scenarios, repeatSummary };
}

/**
 * Several runs that split one suite between them, as one: their scenarios, first start to last
 * finish. A later file's runs of a scenario replace an earlier file's (a scenario re-measured after
 * a change of its settings).
 */
export function mergedRuns(runs: RunResults[]): RunResults {
  const repeat = runs[0].run.repeat;
  if (runs.some((r) => r.run.repeat !== repeat)) throw new Error('the results files were made with different --repeat counts');
  const startedAt = runs.map((r) => r.run.startedAt).sort()[0];
  const finishedAt = runs.map((r) => r.run.finishedAt).sort().at(-1)!;
  const owner = new Map<string, number>(); // base scenario name → the last file that ran it
  runs.forEach((r, i) => r.scenarios.forEach((s) => owner.set(baseScenarioName(s.name), i)));
  const scenarios = runs.flatMap((r, i) => r.scenarios.filter((s) => owner.get(baseScenarioName(s.name)) === i));
  return { ...runs[0], run: { ...runs[0].run, startedAt, finishedAt }, scenarios };
}

