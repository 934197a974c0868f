import type { Reporter } from './reporter';
import type { RunResults } from './results-types';
import { fileReporter, writeRunFile } from './file-reporter';

/** File name inside the run folder (DESIGN.md, Contracts). */
export const RESULTS_FILE = 'results.json';

/** results.json text; schemaVersion is forced to 1 and put first so a reader sees it at once. */
export function renderResultsJson(results: RunResults): string {
  const { schemaVersion: _ignored, ...rest } = results;
  return `${JSON.stringify({ schemaVersion: 1, ...rest }, null, 2)}\n`;
}

/** Writes `<runDir>/results.json` atomically; returns the path written. */
export function writeResultsJson(results: RunResults, runDir: string): string {
  return writeRunFile(runDir, RESULTS_FILE, renderResultsJson(results));
}

/** Reporter writing results.json at the end of the run. */
export function createJsonReporter(): Reporter {
  return fileReporter('json', writeResultsJson);
}
