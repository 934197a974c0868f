import type { CountName } from '../harness/checker/check-types';
import { EXIT_EXPECTATION_FAILED, EXIT_PASS, HarnessError } from '../harness/errors';
import { readBaselineFile, summarizeScenarios, type Baseline } from './baseline';
import { parseCommandArgs, runCommand, type CommandOutput } from './command-io';
import type { RunResults } from './results-types';
import { readResultsFile } from './results-file';

/** Counts where a larger number is worse; the others (attempted, acked, …) are not gated. */
export const GATED_COUNTS = [
  'lostAcked', 'undelivered', 'duplicates', 'reordered', 'offsetMismatch', 'unexpected', 'failed', 'indeterminate',
] as const satisfies readonly CountName[];
export type GatedCount = (typeof GATED_COUNTS)[number];

/** A count may grow to `baseline × (1 + relative) + absolute` before it is a regression. */
export interface Tolerance {
  absolute: number;
  relative: number;
}
export type Tolerances = Partial<Record<GatedCount, Partial<Tolerance>>>;

/** Violations of a guarantee must not grow at all. */
const STRICT: Tolerance = { absolute: 0, relative: 0 };
/** Losses under faults vary with timing from run to run: 10% + 2 messages of noise is allowed. */
const NOISY: Tolerance = { absolute: 2, relative: 0.1 };

/**
 * @default absolute 0 for lostAcked, offsetMismatch, unexpected; 10% + 2 for the rest.
 */
export const DEFAULT_TOLERANCES: Readonly<Record<GatedCount, Tolerance>> = {
  lostAcked: STRICT,
  offsetMismatch: STRICT,
  unexpected: STRICT,
  undelivered: NOISY,
  duplicates: NOISY,
  reordered: NOISY,
  failed: NOISY,
  indeterminate: NOISY,
};

/** Something that got worse. For `verdict`, baseline/actual are verdicts; for `scenario`, 'present'/'missing'. */
export interface Regression {
  scenario: string;
  count: GatedCount | 'verdict' | 'scenario';
  baseline: number | string;
  actual: number | string;
  /** The largest actual value the tolerance allowed (counts only). */
  allowed?: number;
}

export interface GateResult {
  regressions: Regression[];
  /** 0 nothing got worse, 1 something did (DESIGN.md exit codes). */
  exitCode: 0 | 1;
  /** Scenarios found in both files. */
  compared: number;
  /** In the results but not the baseline: reported, not gated (a new scenario cannot regress). */
  newScenarios: string[];
}

/** The largest value `count` may reach given its baseline value. */
export function allowedValue(baseline: number, tolerance: Tolerance): number {
  return baseline * (1 + tolerance.relative) + tolerance.absolute;
}

/**
 * Compares results with a baseline (pure). Worse means: a gated count above its tolerance, a
 * verdict that was pass and is now fail or unknown (an unknown verdict cannot vouch for
 * anything), or a baseline scenario missing from the results.
 */
export function compareWithBaseline(baseline: Baseline, results: RunResults, tolerances: Tolerances = {}): GateResult {
  const actual = summarizeScenarios(results);
  const regressions: Regression[] = [];
  let compared = 0;
  for (const [name, base] of Object.entries(baseline.scenarios)) {
    const now = actual[name];
    if (!now) {
      regressions.push({ scenario: name, count: 'scenario', baseline: 'present', actual: 'missing' });
      continue;
    }
    compared += 1;
    if (base.verdict === 'pass' && now.verdict !== 'pass') {
      regressions.push({ scenario: name, count: 'verdict', baseline: base.verdict, actual: now.verdict });
    }
    for (const count of GATED_COUNTS) {
      const tolerance = { ...DEFAULT_TOLERANCES[count], ...tolerances[count] };
      const allowed = allowedValue(base.counts[count], tolerance);
      if (now.counts[count] > allowed) {
        regressions.push({ scenario: name, count, baseline: base.counts[count], actual: now.counts[count], allowed: Math.floor(allowed) });
      }
    }
  }
  const newScenarios = Object.keys(actual).filter((name) => !(name in baseline.scenarios));
  return { regressions, exitCode: regressions.length > 0 ? EXIT_EXPECTATION_FAILED : EXIT_PASS, compared, newScenarios };
}

/** Reads both files and compares them; throws HarnessError naming a file that cannot be used. */
export function gate(baselinePath: string, resultsPath: string, tolerances?: Tolerances): GateResult {
  return compareWithBaseline(readBaselineFile(baselinePath), readResultsFile(resultsPath), tolerances);
}

/** One line per regression, e.g. `seed/x: lostAcked 0 → 3 (allowed up to 0)`. */
export function describeRegression(r: Regression): string {
  if (r.count === 'scenario') return `${r.scenario}: in the baseline, missing from the results`;
  if (r.count === 'verdict') return `${r.scenario}: verdict ${r.baseline} → ${r.actual}`;
  return `${r.scenario}: ${r.count} ${r.baseline} → ${r.actual} (allowed up to ${r.allowed})`;
}

export const GATE_USAGE = 'kchaos gate --baseline FILE RESULTS';

/**
 * `kchaos gate --baseline FILE RESULTS`; `argv` is what follows `gate`.
 * Exit codes: 0 nothing got worse; 1 regressions (listed on stdout); 2 usage error or a file
 * that cannot be read or is malformed (one line on stderr naming it and the fix).
 */
export function gateCommand(argv: readonly string[], out: CommandOutput): number {
  return runCommand(out, () => {
    const { values, positionals } = parseCommandArgs(argv, { baseline: { type: 'string', short: 'b' }, help: { type: 'boolean', short: 'h' } }, GATE_USAGE);
    if (values.help) {
      out.log(`usage: ${GATE_USAGE}`);
      return EXIT_PASS;
    }
    if (!values.baseline) throw new HarnessError('gate needs --baseline FILE', { hint: `usage: ${GATE_USAGE}` });
    if (positionals.length !== 1) throw new HarnessError(`gate takes one results file, got ${positionals.length}`, { hint: `usage: ${GATE_USAGE}` });
    const result = gate(values.baseline, positionals[0]);
    if (result.newScenarios.length > 0) {
      out.log(`gate: ${result.newScenarios.length} scenario(s) not in the baseline, not gated: ${result.newScenarios.join(', ')}`);
    }
    if (result.regressions.length === 0) {
      out.log(`gate: no regressions (${result.compared} scenario(s) compared with ${values.baseline})`);
    } else {
      out.log(`gate: ${result.regressions.length} regression(s) against ${values.baseline}:`);
      for (const r of result.regressions) out.log(`  ${describeRegression(r)}`);
    }
    return result.exitCode;
  });
}
