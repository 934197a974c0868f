import path from 'node:path';
import { checkFiles } from '../harness/check-command';
import type { CheckResult, ExpectationSpec } from '../harness/checker/check-types';
import type { ScenarioResult } from '../reports/results-types';

/**
 * The offline re-check contract (DESIGN.md: "kchaos check can re-check an archived run offline"):
 * a scenario's history.jsonl + observed.jsonl, read back from disk through the code path behind
 * `kchaos check`, must give exactly what the run reported. Cheap: the files are streamed once.
 */

/** The part of a result the files alone determine. */
export type RecheckedPart = Pick<CheckResult, 'counts' | 'latencyMs' | 'timeToFirstAckAfterHealMs' | 'anomalies' | 'expectations'>;

export function recheckedPart(result: RecheckedPart): RecheckedPart {
  const { counts, latencyMs, timeToFirstAckAfterHealMs, anomalies, expectations } = result;
  return { counts, latencyMs, timeToFirstAckAfterHealMs, anomalies, expectations };
}

/** Re-checks the scenario's archived files (its artifacts, relative to `runDir`) with its expectations. */
export async function recheckFromDisk(runDir: string, result: ScenarioResult, expect: ExpectationSpec): Promise<RecheckedPart & { error?: string }> {
  const checked = await checkFiles(path.join(runDir, result.artifacts.history), path.join(runDir, result.artifacts.observed), expect);
  return { ...recheckedPart(checked), ...(checked.error !== undefined ? { error: checked.error } : {}) };
}
