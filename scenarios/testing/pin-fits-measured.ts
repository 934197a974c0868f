import type { ExpectationSpec } from '../../harness/checker/check-types';
import { parseExpectations } from '../../harness/checker/expectations';
import type { MeasuredSummary } from '../../reports/measured-table';
import { rowsOf } from '../../reports/measured-conditions';

/** Counts whose "> 0" is a yes/no claim (the fault touched the producer, the workaround resent), not a bound. */
const PROOF_COUNTS = ['exposedSends', 'resends'];

/** A bound may sit this far outside the measured range: 50 % of the range's end, plus 10 messages. */
const slack = (value: number) => Math.ceil(value * 0.5) + 10;

/**
 * Jest assertions that a scenario's pins hold over the whole measured range of each count (the
 * committed repeat summary) and are not much looser than it, so a pin can still catch a regression.
 */
export function expectPinsFitMeasured(name: string, pins: ExpectationSpec, ranges: MeasuredSummary['scenarios'][number]['ranges']): void {
  for (const clause of parseExpectations(pins)) {
    const [min, , max] = ranges[clause.count];
    const where = `${name} ${clause.count} ${clause.op} ${clause.value}, measured ${min}–${max}`;
    switch (clause.op) {
      case 'eq':
        expect({ where, min, max }).toEqual({ where, min: clause.value, max: clause.value });
        break;
      case 'lte':
      case 'lt':
        expect({ where, holds: clause.op === 'lte' ? max <= clause.value : max < clause.value }).toEqual({ where, holds: true });
        expect({ where, tight: clause.value <= max + slack(max) }).toEqual({ where, tight: true });
        break;
      case 'gte':
      case 'gt':
        expect({ where, holds: clause.op === 'gte' ? min >= clause.value : min > clause.value }).toEqual({ where, holds: true });
        if (PROOF_COUNTS.includes(clause.count) && clause.op === 'gt' && clause.value === 0) break;
        expect({ where, tight: clause.value >= min - slack(min) }).toEqual({ where, tight: true });
        break;
    }
  }
}

/** The committed repeat summary of a suite, by scenario name. */
export function measuredByName(summary: MeasuredSummary): Map<string, MeasuredSummary['scenarios'][number]> {
  return new Map(summary.scenarios.map((s) => [s.name, s]));
}

/**
 * The pins checked against every measured row of the scenario together (the quiet one and each
 * condition's, e.g. one core busy): they must hold over the union of the ranges and be not much
 * looser than that union.
 */
export function expectPinsFitEveryRow(name: string, pins: ExpectationSpec, summary: MeasuredSummary): void {
  const rows = rowsOf(summary, name);
  const ranges = rows.map((r) => r.row.ranges);
  const counts = new Set(ranges.flatMap((r) => Object.keys(r)));
  const union = Object.fromEntries(
    [...counts].map((c) => {
      const present = ranges.map((r) => r[c]).filter((r) => r !== undefined);
      return [c, [Math.min(...present.map((r) => r[0])), NaN, Math.max(...present.map((r) => r[2]))] as [number, number, number]];
    }),
  );
  const conditions = rows.filter((r) => r.condition).map((r) => r.condition);
  expectPinsFitMeasured(conditions.length ? `${name} (quiet and ${conditions.join(', ')})` : name, pins, union);
}
