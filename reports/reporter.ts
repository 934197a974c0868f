import type { RunResults, ScenarioResult } from './results-types';

/** What a reporter learns when a run starts. */
export interface RunStartInfo {
  runId: string;
  /** The run folder (`runs/<run-id>/`); file reporters write into it at the end. */
  runDir: string;
  /** Number of scenarios the run will execute. */
  total: number;
}

/**
 * Receives a run's progress and its results. Every hook is optional so a reporter implements only
 * what it needs (a file writer only `onRunEnd`). Hooks must not assume they run alone: the runner
 * calls them through the fan-out, which isolates a reporter's failure from the run.
 * `index` is 1-based, as printed ("scenario 3/17").
 */
export interface Reporter {
  name: string;
  onRunStart?(info: RunStartInfo): void;
  onScenarioStart?(index: number, total: number, name: string): void;
  onScenarioPhase?(name: string, phase: string): void;
  onScenarioEnd?(result: ScenarioResult, index: number, total: number): void;
  onRunEnd?(results: RunResults, runDir: string): Promise<void> | void;
}
