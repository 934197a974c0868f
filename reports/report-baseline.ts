import type { Baseline } from './baseline';
import { allowedValue, DEFAULT_TOLERANCES, GATED_COUNTS } from './gate';
import type { ScenarioResult } from './results-types';

/** One count that moved beyond the gate's tolerance, either way. */
export interface BaselineChange {
  count: string;
  baseline: number | string;
  actual: number | string;
}

/** How a scenario compares with the baseline (`kchaos report --baseline FILE`). */
export interface BaselineDelta {
  status: 'worse' | 'better' | 'same' | 'new';
  worse: BaselineChange[];
  better: BaselineChange[];
}

/**
 * Worse uses `kchaos gate`'s rule (a gated count above baseline × (1 + relative) + absolute, or a
 * pass that is no longer one); better is the mirror image (the baseline's value would have been a
 * regression against this one), so noise within the tolerance reads as "same" both ways.
 */
export function compareScenario(s: ScenarioResult, baseline: Baseline): BaselineDelta {
  const base = baseline.scenarios[s.name];
  if (!base) return { status: 'new', worse: [], better: [] };
  const worse: BaselineChange[] = [];
  const better: BaselineChange[] = [];
  if (base.verdict === 'pass' && s.verdict !== 'pass') worse.push({ count: 'verdict', baseline: base.verdict, actual: s.verdict });
  if (base.verdict !== 'pass' && s.verdict === 'pass') better.push({ count: 'verdict', baseline: base.verdict, actual: s.verdict });
  for (const count of GATED_COUNTS) {
    const now = s.counts?.[count] ?? 0;
    const then = base.counts[count];
    const tolerance = DEFAULT_TOLERANCES[count];
    if (now > allowedValue(then, tolerance)) worse.push({ count, baseline: then, actual: now });
    else if (then > allowedValue(now, tolerance)) better.push({ count, baseline: then, actual: now });
  }
  return { status: worse.length > 0 ? 'worse' : better.length > 0 ? 'better' : 'same', worse, better };
}

/** Baseline scenarios the results lack (the gate counts them as regressions). */
export function missingFromResults(scenarios: readonly ScenarioResult[], baseline: Baseline): string[] {
  const names = new Set(scenarios.map((s) => s.name));
  return Object.keys(baseline.scenarios).filter((name) => !names.has(name));
}

/** `undelivered 34 → 40`, joined. */
export function describeChanges(changes: readonly BaselineChange[]): string {
  return changes.map((c) => `${c.count} ${c.baseline} → ${c.actual}`).join(', ');
}
