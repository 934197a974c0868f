import { HarnessError } from '../errors';
import {
  COUNT_NAMES,
  type CountName,
  type Counts,
  type ExpectationOp,
  type ExpectationResult,
  type ExpectationSpec,
} from './check-types';

/** One comparison of one count: `{ undelivered: { gt: 0 } }` becomes `undelivered gt 0`. */
export interface ExpectationClause {
  count: CountName;
  op: ExpectationOp;
  value: number;
}

export const EXPECTATION_OPS: readonly ExpectationOp[] = ['eq', 'lt', 'lte', 'gt', 'gte'];

const COMPARE: Record<ExpectationOp, (actual: number, value: number) => boolean> = {
  eq: (a, v) => a === v,
  lt: (a, v) => a < v,
  lte: (a, v) => a <= v,
  gt: (a, v) => a > v,
  gte: (a, v) => a >= v,
};

/**
 * Validates an expectation spec (it often comes from the command line or a scenario file, so it is
 * `unknown` here) and flattens it into clauses, in the spec's key order. A bare number means eq.
 * Throws HarnessError naming the offending field, e.g.
 * `expectations.undeliverd: unknown count; known: attempted, acked, …`.
 * @param field how the spec is named in messages. @default 'expectations'
 */
export function parseExpectations(spec: unknown, field = 'expectations'): ExpectationClause[] {
  if (spec === undefined || spec === null) return [];
  if (!isPlainObject(spec)) {
    throw new HarnessError(`${field}: must be an object like {"undelivered": 0}, got ${describe(spec)}`);
  }
  const clauses: ExpectationClause[] = [];
  for (const [name, bound] of Object.entries(spec)) {
    const where = `${field}.${name}`;
    if (!isCountName(name)) {
      throw new HarnessError(`${where}: unknown count; known: ${COUNT_NAMES.join(', ')}`, {
        hint: suggestion(name, COUNT_NAMES),
      });
    }
    if (typeof bound === 'number') {
      clauses.push({ count: name, op: 'eq', value: finiteNumber(bound, where) });
      continue;
    }
    if (!isPlainObject(bound)) {
      throw new HarnessError(`${where}: must be a number or an object like {"gt": 0}, got ${describe(bound)}`);
    }
    const ops = Object.entries(bound);
    if (ops.length === 0) {
      throw new HarnessError(`${where}: empty object; give at least one of ${EXPECTATION_OPS.join(', ')}`);
    }
    for (const [op, value] of ops) {
      if (!isExpectationOp(op)) {
        throw new HarnessError(`${where}.${op}: unknown operator; known: ${EXPECTATION_OPS.join(', ')}`, {
          hint: suggestion(op, EXPECTATION_OPS),
        });
      }
      clauses.push({ count: name, op, value: finiteNumber(value, `${where}.${op}`) });
    }
  }
  return clauses;
}

/** Compares each clause with the measured counts. */
export function evaluateExpectations(clauses: readonly ExpectationClause[], counts: Counts): ExpectationResult[] {
  return clauses.map(({ count, op, value }) => {
    const actual = counts[count];
    return { count, op, value, actual, pass: COMPARE[op](actual, value) };
  });
}

/** Convenience for callers holding a typed spec: parse, then evaluate. Throws like parseExpectations. */
export function evaluateSpec(spec: ExpectationSpec | undefined, counts: Counts): ExpectationResult[] {
  return evaluateExpectations(parseExpectations(spec), counts);
}

/** `undelivered gt 0` — how reporters and messages print a clause. */
export function formatClause(clause: ExpectationClause): string {
  return `${clause.count} ${clause.op} ${clause.value}`;
}

function isCountName(name: string): name is CountName {
  return (COUNT_NAMES as readonly string[]).includes(name);
}

function isExpectationOp(op: string): op is ExpectationOp {
  return (EXPECTATION_OPS as readonly string[]).includes(op);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new HarnessError(`${where}: must be a finite number, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** "did you mean undelivered?" for a typo within two edits; undefined otherwise. */
function suggestion(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const d = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best === undefined ? undefined : `did you mean "${best}"?`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
