import { COUNT_NAMES, fillLaterCounts, type Counts, type Verdict } from '../harness/checker/check-types';
import { EXIT_PASS, HarnessError } from '../harness/errors';
import type { RunResults } from './results-types';
import { parseCommandArgs, runCommand, type CommandOutput } from './command-io';
import { readJsonFile } from './read-json-file';
import { readResultsFile } from './results-file';
import { writeFileAtomic } from './write-file-atomic';

/** What a scenario's name is compared on by `kchaos gate`. */
export interface BaselineScenario {
  counts: Counts;
  verdict: Verdict;
}

/** A baseline file: the counts and verdicts of one accepted run, keyed by scenario name. */
export interface Baseline {
  schemaVersion: 1;
  kind: 'kchaos-baseline';
  createdAt: string;
  source: { results: string; runId: string; backend: string; kafkaVersion: string; complete: boolean };
  scenarios: Record<string, BaselineScenario>;
}

const VERDICT_RANK: Record<Verdict, number> = { pass: 0, unknown: 1, fail: 2 };

/**
 * Per scenario name, counts and verdict. A name seen several times (`--repeat N`) keeps the
 * worst of its runs: the largest of each count and the worst verdict, so a flaky loss is part
 * of the baseline and of the gated results alike.
 */
export function summarizeScenarios(results: RunResults): Record<string, BaselineScenario> {
  const out: Record<string, BaselineScenario> = {};
  for (const s of results.scenarios) {
    const seen = out[s.name];
    if (!seen) {
      out[s.name] = { counts: { ...s.counts }, verdict: s.verdict };
      continue;
    }
    for (const c of COUNT_NAMES) seen.counts[c] = Math.max(seen.counts[c], s.counts[c]);
    if (VERDICT_RANK[s.verdict] > VERDICT_RANK[seen.verdict]) seen.verdict = s.verdict;
  }
  return out;
}

/** The baseline of a run (pure; `resultsPath` is only recorded, for the reader). */
export function baselineFromResults(results: RunResults, resultsPath: string, now = new Date()): Baseline {
  const run = results.run;
  return {
    schemaVersion: 1,
    kind: 'kchaos-baseline',
    createdAt: now.toISOString(),
    source: { results: resultsPath, runId: run.id, backend: run.backend, kafkaVersion: run.kafkaVersion, complete: run.complete },
    scenarios: summarizeScenarios(results),
  };
}

/** Reads a results.json and writes its baseline to `outPath` (atomically). */
export function saveBaseline(resultsPath: string, outPath: string): Baseline {
  const baseline = baselineFromResults(readResultsFile(resultsPath), resultsPath);
  try {
    writeFileAtomic(outPath, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (err) {
    throw new HarnessError(`cannot write baseline ${outPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      cause: err, hint: 'choose a writable path with --out',
    });
  }
  return baseline;
}

const BASELINE_HINT = 'create it with `kchaos baseline save runs/latest/results.json --out FILE` from a run you accept';

/** Reads and checks a baseline file written by saveBaseline. */
export function readBaselineFile(path: string): Baseline {
  const data = readJsonFile(path, 'baseline file', BASELINE_HINT) as Partial<Baseline> | null;
  const fail = (why: string) => new HarnessError(`baseline file ${path} is malformed: ${why}`, { hint: BASELINE_HINT });
  if (typeof data !== 'object' || data === null || data.kind !== 'kchaos-baseline') throw fail('not a kchaos baseline (no "kind": "kchaos-baseline")');
  if (data.schemaVersion !== 1) throw fail(`schemaVersion is ${JSON.stringify(data.schemaVersion)}, expected 1`);
  if (typeof data.scenarios !== 'object' || data.scenarios === null) throw fail('no "scenarios" object');
  for (const [name, s] of Object.entries(data.scenarios)) {
    if (typeof s?.counts !== 'object' || s.counts === null) throw fail(`scenario "${name}" has no counts`);
    const counts = s.counts as unknown as Record<string, unknown>;
    fillLaterCounts(counts);
    const missing = COUNT_NAMES.find((c) => typeof counts[c] !== 'number');
    if (missing) throw fail(`scenario "${name}" has no number for counts.${missing}`);
    if (!Object.prototype.hasOwnProperty.call(VERDICT_RANK, String(s.verdict))) throw fail(`scenario "${name}" has verdict ${JSON.stringify(s.verdict)}`);
  }
  return data as Baseline;
}

export const BASELINE_USAGE = 'kchaos baseline save RESULTS --out FILE';

/**
 * `kchaos baseline save RESULTS --out FILE`. `argv` is what follows `baseline` (the leading
 * `save` is accepted missing). Exit codes: 0 written; 2 usage error or unreadable results.
 */
export function baselineCommand(argv: readonly string[], out: CommandOutput): number {
  return runCommand(out, () => {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } }, BASELINE_USAGE);
    if (values.help) {
      out.log(`usage: ${BASELINE_USAGE}`);
      return EXIT_PASS;
    }
    const args = positionals[0] === 'save' ? positionals.slice(1) : positionals;
    if (args.length !== 1) throw new HarnessError(`baseline save takes one results file, got ${args.length}`, { hint: `usage: ${BASELINE_USAGE}` });
    if (!values.out) throw new HarnessError('baseline save needs --out FILE (where to write the baseline)', { hint: `usage: ${BASELINE_USAGE}` });
    const baseline = saveBaseline(args[0], values.out);
    const n = Object.keys(baseline.scenarios).length;
    out.log(`baseline: ${n} scenario${n === 1 ? '' : 's'} from run ${baseline.source.runId} written to ${values.out}`);
    if (!baseline.source.complete) out.error('warning: that run was INCOMPLETE; scenarios it did not finish are not in the baseline');
    return EXIT_PASS;
  });
}
