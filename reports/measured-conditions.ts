import { measuredTable, mergedRunOf, range, type MeasuredSummary, type MergedRun } from './measured-table';

/**
 * Evidence taken under a named condition of the machine (e.g. one core kept busy, standing in for a
 * slower CI machine), kept beside a suite's main rows instead of replacing them: a pin has to hold
 * on a quiet machine and under the condition, so both ranges stay in the committed file, each with
 * the run that measured it.
 */
export interface MeasuredCondition {
  /** Short name, e.g. "one core busy". */
  name: string;
  /** What the machine was doing, and why this condition matters. */
  description: string;
  run: MergedRun;
  scenarios: MeasuredSummary['scenarios'];
}

/** `base` with `addition`'s rows filed under the condition `name` (a re-measured row replaces its own row there). */
export function withCondition(base: MeasuredSummary, addition: MeasuredSummary, name: string, description: string): MeasuredSummary {
  if (base.suite !== addition.suite) throw new Error(`cannot file suite ${addition.suite}'s rows under the summary of suite ${base.suite}`);
  if (!name.trim()) throw new Error('--condition needs a name, e.g. --condition "one core busy"');
  if (!description.trim()) throw new Error('--why needs a description of the machine\'s condition, e.g. --why "a spin loop kept one of 2 cores busy"');
  const unknown = addition.scenarios.map((s) => s.name).filter((n) => !base.scenarios.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`condition rows must re-measure rows the summary has; not in it: ${unknown.join(', ')}`);
  const existing = conditionsOf(base).find((c) => c.name === name);
  const added = new Set(addition.scenarios.map((s) => s.name));
  const scenarios = [...(existing?.scenarios ?? []).filter((s) => !added.has(s.name)), ...addition.scenarios];
  const run = mergedRunOf(addition);
  const condition: MeasuredCondition = { name, description, run, scenarios };
  return { ...base, conditions: [...conditionsOf(base).filter((c) => c.name !== name), condition] };
}

export const conditionsOf = (summary: MeasuredSummary): MeasuredCondition[] => summary.conditions ?? [];

/** Every measured row of a scenario: the main one first, then one per condition that measured it. */
export function rowsOf(summary: MeasuredSummary, name: string): Array<{ condition: string | null; row: MeasuredSummary['scenarios'][number] }> {
  const main = summary.scenarios.filter((s) => s.name === name).map((row) => ({ condition: null, row }));
  const extra = conditionsOf(summary).flatMap((c) => c.scenarios.filter((s) => s.name === name).map((row) => ({ condition: c.name, row })));
  return [...main, ...extra];
}

/** README lines after the main table: per condition, what was run and each re-measured row's undelivered range. */
export function conditionLines(summary: MeasuredSummary): string[] {
  return conditionsOf(summary).flatMap((c) => {
    const passed = c.scenarios.reduce((n, s) => n + s.verdicts.pass, 0);
    const runs = c.scenarios.reduce((n, s) => n + s.runs, 0);
    const mainOf = (name: string) => summary.scenarios.find((s) => s.name === name)!;
    return [
      '',
      `Under the condition "${c.name}" (${c.description}): \`kchaos run ${c.run.names?.length === 1 ? c.run.names[0] : c.run.prefix} --repeat ${c.run.repeat}\` ` +
        `on ${c.run.measuredAt.slice(0, 10)}, ${passed} of ${runs} scenario runs passed. Undelivered, quiet vs under load:`,
      '',
      '| scenario | quiet | under load |',
      '|---|---|---|',
      ...c.scenarios.map((s) => `| ${s.name.replace(`${summary.suite}/`, '')} | ${range(mainOf(s.name).ranges.undelivered)} | ${range(s.ranges.undelivered)} |`),
    ];
  });
}

/** The README's seed block: the main table, then each condition's rows beside their quiet ranges. */
export function measuredTableWithConditions(summary: MeasuredSummary): string {
  return [measuredTable(summary), ...conditionLines(summary)].join('\n');
}
