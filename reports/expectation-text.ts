import type { ExpectationOp, ExpectationResult } from '../harness/checker/check-types';

const OP_SYMBOLS: Record<ExpectationOp, string> = { eq: '=', lt: '<', lte: '≤', gt: '>', gte: '≥' };

/** `undelivered: expected = 0, actual 12` — the same words in console, JUnit and HTML. */
export function describeExpectation(e: ExpectationResult): string {
  return `${e.count}: expected ${OP_SYMBOLS[e.op] ?? e.op} ${e.value}, actual ${e.actual}`;
}

/** `= 0`, `> 0`: the expected side alone, for table cells. */
export function describeExpected(e: Pick<ExpectationResult, 'op' | 'value'>): string {
  return `${OP_SYMBOLS[e.op] ?? e.op} ${e.value}`;
}
