import { join } from 'node:path';
import type { Reporter } from './reporter';
import type { RunResults } from './results-types';
import { writeFileAtomic } from './write-file-atomic';

/** File name inside the run folder (DESIGN.md, Contracts). */
export const RESULTS_FILE = 'results.json';

/** results.json text; schemaVersion is forced to 1 and put first so a reader sees it at once. */
export function renderResultsJson(results: RunResults): string {
  const { schemaVersion: _ignored, ...rest } = results;
  return `${JSON.stringify({ schemaVersion: 1, ...rest }, null, 2)}\n`;
}

/** Writes `<runDir>/results.json` atomically; returns the path written. */
export function writeResultsJson(results: RunResults, runDir: string): string {
  const path = join(runDir, RESULTS_FILE);
  writeFileAtomic(path, renderResultsJson(results));
  return path;
}

/** Reporter writing results.json at the end of the run. */
export function createJsonReporter(): Reporter {
  return {
    name: 'json',
    onRunEnd: (results, runDir) => {
      writeResultsJson(results, runDir);
    },
  };
}
