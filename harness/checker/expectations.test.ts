import { HarnessError } from '../errors';
import { COUNT_NAMES, type Counts } from './check-types';
import { evaluateExpectations, evaluateSpec, formatClause, parseExpectations } from './expectations';

const counts = (over: Partial<Counts>): Counts =>
  ({ ...Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])), ...over }) as Counts;

describe('parseExpectations', () => {
  test('a bare number means eq; objects give one clause per operator, in order', () => {
    expect(parseExpectations({ lostAcked: 0, undelivered: { gt: 0, lte: 10 } })).toEqual([
      { count: 'lostAcked', op: 'eq', value: 0 },
      { count: 'undelivered', op: 'gt', value: 0 },
      { count: 'undelivered', op: 'lte', value: 10 },
    ]);
  });

  test('nothing given → no clauses', () => {
    expect(parseExpectations(undefined)).toEqual([]);
    expect(parseExpectations(null)).toEqual([]);
    expect(parseExpectations({})).toEqual([]);
  });

  test.each([
    [{ undeliverd: 0 }, /^expectations\.undeliverd: unknown count; known: attempted, acked, failed, .*abortedWritten\n  fix: did you mean "undelivered"\?$/],
    [{ undelivered: { gtt: 0 } }, /^expectations\.undelivered\.gtt: unknown operator; known: eq, lt, lte, gt, gte\n  fix: did you mean "gt"\?$/],
    [{ undelivered: { gt: '0' } }, /^expectations\.undelivered\.gt: must be a finite number, got "0"$/],
    [{ undelivered: 'zero' }, /^expectations\.undelivered: must be a number or an object like \{"gt": 0\}, got "zero"$/],
    [{ undelivered: {} }, /^expectations\.undelivered: empty object; give at least one of eq, lt, lte, gt, gte$/],
    [{ lostAcked: Infinity }, /^expectations\.lostAcked: must be a finite number/],
    [[0], /^expectations: must be an object like \{"undelivered": 0\}, got \[0\]$/],
    [{ zzzzzzzz: 1 }, /^expectations\.zzzzzzzz: unknown count; known: [^\n]*$/],
  ])('%j is rejected naming the field', (spec, message) => {
    let thrown: unknown;
    try {
      parseExpectations(spec);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HarnessError);
    expect((thrown as Error).message).toMatch(message);
  });

  test('the field prefix can be renamed', () => {
    expect(() => parseExpectations({ nope: 0 }, 'scenario.expect')).toThrow(/^scenario\.expect\.nope: unknown count/);
  });
});

describe('evaluateExpectations', () => {
  test('each operator', () => {
    const c = counts({ undelivered: 3 });
    const ops = (['eq', 'lt', 'lte', 'gt', 'gte'] as const).map((op) =>
      evaluateExpectations([{ count: 'undelivered', op, value: 3 }], c)[0].pass,
    );
    expect(ops).toEqual([true, false, true, false, true]);
  });

  test('results carry clause and actual value', () => {
    expect(evaluateSpec({ duplicates: { lt: 5 }, lostAcked: 0 }, counts({ duplicates: 7 }))).toEqual([
      { count: 'duplicates', op: 'lt', value: 5, actual: 7, pass: false },
      { count: 'lostAcked', op: 'eq', value: 0, actual: 0, pass: true },
    ]);
  });

  test('formatClause', () => {
    expect(formatClause({ count: 'undelivered', op: 'gt', value: 0 })).toBe('undelivered gt 0');
  });
});
