import { derivePromises } from '../harness/checker/guarantee-model';
import { HarnessError } from '../harness/errors';
import { defineScenario } from './define-scenario';
import type { Scenario, ScenarioInput } from './scenario';

const minimal = { name: 'team/k1-down', client: 'kafkajs' as const };
const base = defineScenario(minimal);
const KILL_K1 = [{ kind: 'kill' as const, target: 'k1' }];

/** A value of the same type as `value` that differs from it (the nested config/workload fields are numbers, booleans, strings or null). */
function another(value: unknown): unknown {
  if (typeof value === 'number') return value + 7;
  if (typeof value === 'boolean') return !value;
  if (value === null) return 1_234;
  if (value === 'all') return 1;
  if (typeof value === 'object') return { 'client.id': 'team-override' };
  throw new Error(`no other value for ${JSON.stringify(value)}`);
}

/** Deep-freezes a scenario input, so that a defineScenario that writes into it throws. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

describe('defaults fill omitted fields only', () => {
  test.each(['config', 'workload', 'workaround'] as const)('%s: each field given alone wins; every other field keeps the default', (section) => {
    const defaults = base[section] as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(defaults)) {
      const override = another(value);
      const s = defineScenario({ ...minimal, [section]: { [field]: override } } as ScenarioInput);
      expect(s[section]).toEqual({ ...defaults, [field]: override });
    }
  });

  test('a section given in full leaves nothing to the defaults, and the result is a fixed point', () => {
    const s = defineScenario({ ...minimal, faults: KILL_K1, settleMs: 0, strategy: 'manual', mode: 'workaround' });
    expect(defineScenario(s)).toEqual(s);
  });

  test('the top-level fields each fall back on their own: giving one changes only it (and the model\'s expectations it feeds)', () => {
    const overrides: Partial<ScenarioInput> = { strategy: 'hashing', mode: 'workaround', settleMs: 5, description: 'why', faults: KILL_K1 };
    for (const [field, value] of Object.entries(overrides)) {
      const s = defineScenario({ ...minimal, [field]: value });
      const changed = (Object.keys(s) as Array<keyof Scenario>).filter((key) => JSON.stringify(s[key]) !== JSON.stringify(base[key]));
      const expected = ['faults', 'mode'].includes(field) ? [field, 'expect'].sort() : [field];
      expect({ field, changed: changed.sort() }).toEqual({ field, changed: expected });
    }
  });

  test('falsy overrides win over truthy defaults (0, false, null are values, not "missing")', () => {
    const s = defineScenario({ ...minimal, settleMs: 0, config: { acks: 0, retries: 0 }, workload: { ratePerSec: null }, expect: {} });
    expect(s).toMatchObject({ settleMs: 0, config: { acks: 0, retries: 0 }, workload: { ratePerSec: null }, expect: {} });
    expect(base.settleMs).not.toBe(0);
    expect(base.config.retries).not.toBe(0);
    expect(base.workload.ratePerSec).not.toBeNull();
  });

  test('given expectations replace the model\'s; omitted, the model\'s follow the config and faults', () => {
    const mine = defineScenario({ ...minimal, faults: KILL_K1, expect: { undelivered: { gt: 0 } } });
    expect(mine.expect).toEqual({ undelivered: { gt: 0 } });
    const strict = defineScenario({ ...minimal, faults: KILL_K1 });
    const loose = defineScenario({ ...minimal, faults: KILL_K1, config: { acks: 1 } });
    expect(strict.expect).toHaveProperty('lostAcked', 0); // acks=all + min ISR 2: the model promises no acknowledged loss
    expect(loose.expect).not.toHaveProperty('lostAcked'); // acks=1 under a kill: it does not
  });

  test('with no config a scenario tests a producer and topic that Kafka promises durability to', () => {
    const s = defineScenario({ ...minimal, faults: KILL_K1 });
    const noLostAcked = derivePromises({ ...s.config, faults: s.faults, mode: s.mode, client: s.client }).find((p) => p.promise === 'no-lost-acked');
    expect(noLostAcked?.holds).toBe(true);
  });

  test('the input is read, never written', () => {
    const input = frozen({ ...minimal, faults: [{ kind: 'blackhole' as const, target: 'k1' }], config: { retries: 3 }, workload: { messages: 10 } });
    expect(() => defineScenario(input)).not.toThrow();
    expect(input.faults[0]).toEqual({ kind: 'blackhole', target: 'k1' });
  });
});

describe('bad input: one HarnessError naming the field and the fix', () => {
  test.each([
    [{ ...minimal, clinet: 'kafkajs' }, '.clinet', /unknown field/, /known fields: .*client/],
    [{ ...minimal, client: 'franz-go' }, '.client', /"franz-go" is not allowed/, /kafkajs, node-rdkafka/],
    [{ ...minimal, strategy: 'sticky' }, '.strategy', /"sticky" is not allowed/, /round-robin/],
    [{ ...minimal, faults: { kind: 'kill' } }, '.faults', /is not a list/, /\[\{ kind:/],
    [{ ...minimal, faults: [{ kind: 'blackhole', target: 'broker1' }] }, '.faults[0].target', /"broker1" is not a target/, /leaderOf\(0\)/],
    [{ ...minimal, faults: [{ kind: 'refuse', target: 'k1', atMs: 5000, healAtMs: 1000 }] }, '.faults[0].healAtMs', /1000 is not after atMs 5000/, /heal after the fault starts/],
    [{ ...minimal, config: { acks: 2 } }, '.config.acks', /2 is not allowed/, /"all", 1 or 0/],
    [{ ...minimal, config: { retires: 3 } }, '.config.retires', /unknown field/, /retries/],
    [{ ...minimal, config: { idempotent: 'yes' } }, '.config.idempotent', /"yes" is not a boolean/, /true or false/],
    [{ ...minimal, config: { maxInFlight: -1 } }, '.config.maxInFlight', /-1 is not a non-negative integer/, /give a number/],
    [{ ...minimal, workload: { messages: 0 } }, '.workload.messages', /0 is not a positive integer/, /give a number/],
    [{ ...minimal, workaround: { maxAttempts: 1.5 } }, '.workaround.maxAttempts', /1\.5 is not a positive integer/, /give a number/],
    [{ ...minimal, settleMs: -1 }, '.settleMs', /-1 is not a non-negative number/, /give a number/],
    [{ ...minimal, expect: { undeliverd: 0 } }, '.expect.undeliverd', /unknown count/, /undelivered/],
    [{ ...minimal, expect: { undelivered: { gtt: 0 } } }, '.expect.undelivered.gtt', /unknown field/, /gt/],
    [{ ...minimal, expect: { undelivered: { gt: '0' } } }, '.expect.undelivered.gt', /"0" is not a number/, /\{ gt: 0 \}/],
    [{ client: 'kafkajs' }, '.name', /is missing/, /unique name/],
    [{ ...minimal, client: 'java', mode: 'resilient' }, '.mode', /"resilient" is not available for client "java"/, /kafkajs or node-rdkafka/],
  ])('%j → %s', (input, field, problem, fix) => {
    let error: unknown;
    try {
      defineScenario(input as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HarnessError);
    const { message, hint } = error as HarnessError;
    const [what] = message.split('\n');
    expect(what.startsWith(`scenario ${'name' in input ? JSON.stringify(input.name) : '(unnamed)'}${field}: `)).toBe(true);
    expect(what).toMatch(problem);
    expect(hint).toMatch(fix);
  });

  test('a valid variation of a rejected input is accepted (the checks are not over-broad)', () => {
    expect(() => defineScenario({ ...minimal, config: { acks: 1, retries: 3, maxInFlight: 0 } })).not.toThrow();
    expect(() => defineScenario({ ...minimal, faults: [{ kind: 'refuse', target: 'leaderOf(2)', atMs: 1000, healAtMs: 5000 }] })).not.toThrow();
    expect(() => defineScenario({ ...minimal, expect: { undelivered: { gt: 0, lte: 10 } } })).not.toThrow();
  });
});
