import { HarnessError } from '../errors';
import { CONSUMER_COUNT_NAMES, type ConsumerExpectationSpec } from '../checker/consumer-check-types';
import { CONSUMER_APIS, DEFAULT_CONSUMER_SETTINGS, PROCESSING_MODES, type ConsumerSettings } from './consumer-under-test';
import { CONSUMER_CLIENTS } from './consumer-clients';

/**
 * A consumer scenario's own part (`scenario.consumer`): the harness fills the topic, then the
 * consumer under test (the scenario's `client`) reads it in a group under the scenario's faults.
 */
export interface ConsumerScenario {
  /** Records the harness writes before the consumer starts (over DIRECT, acks=all, round-robin over the partitions). @default 600 */
  messages: number;
  /** The group's base name; each run appends a unique suffix. A fault target groupCoordinatorOf(<group>) names this base. @default 'kchaos-consumers' */
  group: string;
  /** Consumer settings, the processing mode among them (everything but the group id). */
  settings: Omit<ConsumerSettings, 'groupId'>;
  /**
   * The observation window from the first consumer's start (the scenario's choice, named in its
   * results): consumption ends when every partition's committed position reached its end, or at
   * this deadline; then the live consumer is closed the library's way. @default 60000
   */
  deadlineMs: number;
  /** SIGKILL the consumer `atMs` after it started; a new one joins the same group `restartAfterMs` later. @default null */
  crash: { atMs: number; restartAfterMs: number } | null;
  /**
   * A broker ("k1") the group's coordinator must not be on: the run picks its group id's suffix so
   * that FindCoordinator names another broker, so a cut of that broker's link tests the partitions
   * it leads and not the group's coordination. null: whichever broker the group id hashes to. @default null
   */
  coordinatorAwayFrom: string | null;
  /** Claims on the consumer counts; left out, the consumer guarantee model's (consumer-guarantees.ts). */
  expect: ConsumerExpectationSpec;
}

export type ConsumerScenarioInput = Partial<Omit<ConsumerScenario, 'settings'>> & { settings?: Partial<ConsumerScenario['settings']> };

export const DEFAULT_CONSUMER_SCENARIO: Omit<ConsumerScenario, 'expect'> = {
  messages: 600,
  group: 'kchaos-consumers',
  settings: DEFAULT_CONSUMER_SETTINGS,
  deadlineMs: 60_000,
  crash: null,
  coordinatorAwayFrom: null,
};

function fail(where: string, problem: string, fix: string): never {
  throw new HarnessError(`${where}: ${problem}`, { hint: fix });
}

function checkKeys(where: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(`${where}.${key}`, 'unknown field', `known fields: ${allowed.join(', ')}`);
}

function count(where: string, value: unknown, { positive = false } = {}): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (positive ? 1 : 0)) fail(where, `${JSON.stringify(value)} is not a ${positive ? 'positive' : 'non-negative'} integer`, 'give a number such as 1000');
  return value;
}

/**
 * Checks `scenario.consumer` (one error naming the first wrong field) and applies the defaults;
 * `defaultExpect` gives the guarantee model's claims for the resolved settings.
 */
export function checkConsumerScenario(where: string, client: string, input: unknown, defaultExpect: (s: Omit<ConsumerScenario, 'expect'>) => ConsumerExpectationSpec): ConsumerScenario {
  if (!input || typeof input !== 'object' || Array.isArray(input)) fail(where, 'is not an object', 'give e.g. { settings: { mode: "commit-after-processing" } }');
  if (!(CONSUMER_CLIENTS as readonly string[]).includes(client)) fail(`${where}`, `client ${JSON.stringify(client)} has no consumer under test`, `use one of ${CONSUMER_CLIENTS.join(', ')}`);
  const raw = input as ConsumerScenarioInput;
  checkKeys(where, raw, ['messages', 'group', 'settings', 'deadlineMs', 'crash', 'coordinatorAwayFrom', 'expect']);
  const settings = { ...DEFAULT_CONSUMER_SETTINGS, ...raw.settings };
  checkKeys(`${where}.settings`, settings, Object.keys(DEFAULT_CONSUMER_SETTINGS));
  if (!PROCESSING_MODES.includes(settings.mode)) fail(`${where}.settings.mode`, `${JSON.stringify(settings.mode)} is not allowed`, `use one of ${PROCESSING_MODES.join(', ')}`);
  if (!CONSUMER_APIS.includes(settings.api)) fail(`${where}.settings.api`, `${JSON.stringify(settings.api)} is not allowed`, `use one of ${CONSUMER_APIS.join(', ')}`);
  if (settings.autoOffsetReset !== 'earliest' && settings.autoOffsetReset !== 'latest') fail(`${where}.settings.autoOffsetReset`, `${JSON.stringify(settings.autoOffsetReset)} is not allowed`, 'use earliest or latest');
  for (const key of ['processingMs', 'autoCommitIntervalMs', 'sessionTimeoutMs', 'heartbeatIntervalMs', 'maxPollIntervalMs', 'requestTimeoutMs', 'fetchMaxWaitMs'] as const) count(`${where}.settings.${key}`, settings[key]);
  count(`${where}.settings.maxPollRecords`, settings.maxPollRecords, { positive: true });
  if (settings.autoCommitThreshold !== null) count(`${where}.settings.autoCommitThreshold`, settings.autoCommitThreshold, { positive: true });
  if (settings.heartbeatIntervalMs >= settings.sessionTimeoutMs) fail(`${where}.settings.heartbeatIntervalMs`, `${settings.heartbeatIntervalMs} is not below sessionTimeoutMs ${settings.sessionTimeoutMs}`, 'heartbeat several times per session timeout, e.g. a third of it');
  const group = raw.group ?? DEFAULT_CONSUMER_SCENARIO.group;
  if (typeof group !== 'string' || !/^[A-Za-z0-9._-]+$/.test(group)) fail(`${where}.group`, `${JSON.stringify(group)} is not a group name`, 'use letters, digits, ".", "_" and "-"');
  const crashInput = raw.crash ?? null;
  let crash: ConsumerScenario['crash'] = null;
  if (crashInput !== null) {
    if (typeof crashInput !== 'object') fail(`${where}.crash`, 'is not an object', 'give { atMs: 3000, restartAfterMs: 0 } or null');
    checkKeys(`${where}.crash`, crashInput, ['atMs', 'restartAfterMs']);
    crash = { atMs: count(`${where}.crash.atMs`, crashInput.atMs), restartAfterMs: count(`${where}.crash.restartAfterMs`, crashInput.restartAfterMs ?? 0) };
  }
  const away = raw.coordinatorAwayFrom ?? null;
  if (away !== null && (typeof away !== 'string' || !/^k[1-9]\d*$/.test(away))) fail(`${where}.coordinatorAwayFrom`, `${JSON.stringify(away)} is not a broker`, 'name a broker such as "k1", or null');
  const resolved = {
    messages: count(`${where}.messages`, raw.messages ?? DEFAULT_CONSUMER_SCENARIO.messages, { positive: true }),
    group,
    settings,
    deadlineMs: count(`${where}.deadlineMs`, raw.deadlineMs ?? DEFAULT_CONSUMER_SCENARIO.deadlineMs, { positive: true }),
    crash,
    coordinatorAwayFrom: away,
  };
  const expect = raw.expect ?? defaultExpect(resolved);
  for (const [name, rule] of Object.entries(expect)) {
    if (!CONSUMER_COUNT_NAMES.includes(name as never)) fail(`${where}.expect.${name}`, 'unknown count', `known counts: ${CONSUMER_COUNT_NAMES.join(', ')}`);
    if (typeof rule === 'number') continue;
    if (!rule || typeof rule !== 'object') fail(`${where}.expect.${name}`, `${JSON.stringify(rule)} is not a number or { op: number }`, 'write e.g. 0 or { gt: 0 }');
    checkKeys(`${where}.expect.${name}`, rule, ['eq', 'lt', 'lte', 'gt', 'gte']);
  }
  return { ...resolved, expect };
}
