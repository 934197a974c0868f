import { COUNT_NAMES, fillLaterCounts } from '../harness/checker/check-types';
import { HarnessError } from '../harness/errors';
import type { RunResults } from './results-types';
import { readJsonFile } from './read-json-file';

const RESULTS_HINT = 'pass the results.json of a finished run, e.g. runs/latest/results.json (re-run `kchaos run` if it is damaged)';

/**
 * Reads a results.json and checks the fields tools rely on (schemaVersion 1, scenarios with a
 * name, counts and verdict), so a bad file fails with its name rather than a TypeError later.
 */
export function readResultsFile(path: string): RunResults {
  const data = readJsonFile(path, 'results file', RESULTS_HINT);
  const problem = resultsProblem(data);
  if (problem) throw new HarnessError(`results file ${path} is malformed: ${problem}`, { hint: RESULTS_HINT });
  return data as RunResults;
}

/** What is wrong with a parsed results.json, or null when the fields tools use are there. */
export function resultsProblem(data: unknown): string | null {
  if (!isObject(data)) return 'not a JSON object';
  if (data.schemaVersion !== 1) return `schemaVersion is ${JSON.stringify(data.schemaVersion)}, expected 1`;
  if (!isObject(data.run)) return 'no "run" object';
  if (!Array.isArray(data.scenarios)) return 'no "scenarios" array';
  for (const [i, s] of data.scenarios.entries()) {
    if (!isObject(s) || typeof s.name !== 'string') return `scenarios[${i}] has no name`;
    if (!['pass', 'fail', 'unknown'].includes(s.verdict as string)) return `scenario "${s.name}" has verdict ${JSON.stringify(s.verdict)}`;
    if (!isObject(s.counts)) return `scenario "${s.name}" has no counts`;
    const counts = s.counts;
    fillLaterCounts(counts);
    const missing = COUNT_NAMES.find((c) => typeof counts[c] !== 'number');
    if (missing) return `scenario "${s.name}" has no number for counts.${missing}`;
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
