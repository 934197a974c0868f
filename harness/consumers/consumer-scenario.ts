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
  /**
   * SIGKILL the consumer `atMs` after `from`; a new one joins the same group `restartAfterMs` later.
   * `from` 'first-process' (default): the first record the consumer processed (an ok), so the crash
   * lands in consumption whatever the library's `ready` means (Confluent's run() can resolve before
   * its first assignment); 'ready': the consumer's `ready` line (how the rows measured before the
   * change ran). @default null
   */
  crash: { atMs: number; restartAfterMs: number; from: CrashClock } | null;
  /**
   * A second member of the same group (consumer "m2": same client, settings and command) that
   * starts `joinAtMs` after the first consumer was ready and leaves the library's way (close:
   * LeaveGroup, final commits) `leaveAtMs` after it (null: it stays to the end). Each join and leave
   * is a rebalance of both members; the checker counts assignments and revocations. @default null
   */
  secondMember: { joinAtMs: number; leaveAtMs: number | null } | null;
  /**
   * The first consumer's process frozen (SIGSTOP to its process group: no heartbeat, no fetch, no
   * processing, as in a long GC pause or a stopped VM) `atMs` after its first processed record, and
   * resumed (SIGCONT) `forMs` later. Frozen longer than settings.sessionTimeoutMs, the group's
   * coordinator removes it and its partitions are reassigned; shorter, nothing should happen. @default null
   */
  freeze: { atMs: number; forMs: number } | null;
  /**
   * A broker ("k1") the group's coordinator must not be on: the run picks its group id's suffix so
   * that FindCoordinator names another broker, so a cut of that broker's link tests the partitions
   * it leads and not the group's coordination. null: whichever broker the group id hashes to. @default null
   */
  coordinatorAwayFrom: string | null;
  /**
   * A team's own consumer (scenario client 'custom'): the program and its arguments, spawned without
   * a shell; the harness appends the start JSON and speaks docs/consumer-protocol.md with it. null:
   * the scenario's built-in client. @default null
   */
  command: string[] | null;
  /** Claims on the consumer counts; left out, the consumer guarantee model's (consumer-guarantees.ts). */
  expect: ConsumerExpectationSpec;
}

/** Where a crash's `atMs` counts from. */
export const CRASH_CLOCKS = ['first-process', 'ready'] as const;
export type CrashClock = (typeof CRASH_CLOCKS)[number];

export type ConsumerScenarioInput = Partial<Omit<ConsumerScenario, 'settings' | 'crash' | 'secondMember' | 'freeze'>> & {
  freeze?: { atMs: number; forMs: number } | null;
  settings?: Partial<ConsumerScenario['settings']>;
  crash?: { atMs: number; restartAfterMs?: number; from?: CrashClock } | null;
  secondMember?: { joinAtMs: number; leaveAtMs?: number | null } | null;
};

export const DEFAULT_CONSUMER_SCENARIO: Omit<ConsumerScenario, 'expect'> = {
  messages: 600,
  group: 'kchaos-consumers',
  settings: DEFAULT_CONSUMER_SETTINGS,
  deadlineMs: 60_000,
  crash: null,
  coordinatorAwayFrom: null,
  command: null,
  secondMember: null,
  freeze: null,
};

/** The client name of a team's own consumer (as for a team's own producer). */
export const CUSTOM_CONSUMER_CLIENT = 'custom';
const COMMAND_EXAMPLE = 'give the program and its arguments as a list, e.g. ["node", "examples/child-process-consumer/consumer.js"] (no shell string)';

/** `consumer.command`: a non-empty list of strings, the first a program name. */
function checkCommand(where: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) fail(where, `${JSON.stringify(value)} is not a non-empty list`, COMMAND_EXAMPLE);
  value.forEach((part, i) => {
    if (typeof part !== 'string' || (i === 0 && !part.trim())) fail(`${where}[${i}]`, `${JSON.stringify(part)} is not ${i === 0 ? 'a program name' : 'a string'}`, COMMAND_EXAMPLE);
  });
  return [...(value as string[])];
}

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
  const raw = input as ConsumerScenarioInput;
  checkKeys(where, raw, ['messages', 'group', 'settings', 'deadlineMs', 'crash', 'coordinatorAwayFrom', 'command', 'secondMember', 'freeze', 'expect']);
  const hasCommand = raw.command !== undefined && raw.command !== null;
  if (client === CUSTOM_CONSUMER_CLIENT && !hasCommand) fail(`${where}.command`, `is missing: client "${CUSTOM_CONSUMER_CLIENT}" needs your consumer's command`, COMMAND_EXAMPLE);
  if (hasCommand && client !== CUSTOM_CONSUMER_CLIENT) fail(`${where}.command`, `cannot be combined with client ${JSON.stringify(client)}`, `give either client (a built-in consumer: ${CONSUMER_CLIENTS.join(', ')}) or consumer.command (your own; leave client out), not both`);
  if (!hasCommand && !(CONSUMER_CLIENTS as readonly string[]).includes(client)) fail(`${where}`, `client ${JSON.stringify(client)} has no consumer under test`, `use one of ${CONSUMER_CLIENTS.join(', ')}, or your own consumer: command: ["node", "consumer.js"]`);
  const command = hasCommand ? checkCommand(`${where}.command`, raw.command) : null;
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
    checkKeys(`${where}.crash`, crashInput, ['atMs', 'restartAfterMs', 'from']);
    const from = crashInput.from ?? 'first-process';
    if (!CRASH_CLOCKS.includes(from)) fail(`${where}.crash.from`, `${JSON.stringify(from)} is not allowed`, `use one of ${CRASH_CLOCKS.join(', ')} (where atMs counts from)`);
    crash = { atMs: count(`${where}.crash.atMs`, crashInput.atMs), restartAfterMs: count(`${where}.crash.restartAfterMs`, crashInput.restartAfterMs ?? 0), from };
  }
  const memberInput = raw.secondMember ?? null;
  let secondMember: ConsumerScenario['secondMember'] = null;
  if (memberInput !== null) {
    if (typeof memberInput !== 'object' || Array.isArray(memberInput)) fail(`${where}.secondMember`, 'is not an object', 'give { joinAtMs: 2000, leaveAtMs: 8000 } or null');
    checkKeys(`${where}.secondMember`, memberInput, ['joinAtMs', 'leaveAtMs']);
    const joinAtMs = count(`${where}.secondMember.joinAtMs`, memberInput.joinAtMs);
    const leaveAtMs = memberInput.leaveAtMs === undefined || memberInput.leaveAtMs === null ? null : count(`${where}.secondMember.leaveAtMs`, memberInput.leaveAtMs);
    if (leaveAtMs !== null && leaveAtMs <= joinAtMs) fail(`${where}.secondMember.leaveAtMs`, `${leaveAtMs} is not after joinAtMs ${joinAtMs}`, 'leave after joining, or null to stay to the end');
    secondMember = { joinAtMs, leaveAtMs };
  }
  const freezeInput = raw.freeze ?? null;
  let freeze: ConsumerScenario['freeze'] = null;
  if (freezeInput !== null) {
    if (typeof freezeInput !== 'object' || Array.isArray(freezeInput)) fail(`${where}.freeze`, 'is not an object', 'give { atMs: 2000, forMs: 15000 } or null');
    checkKeys(`${where}.freeze`, freezeInput, ['atMs', 'forMs']);
    freeze = { atMs: count(`${where}.freeze.atMs`, freezeInput.atMs), forMs: count(`${where}.freeze.forMs`, freezeInput.forMs, { positive: true }) };
    if (crash !== null) fail(`${where}.freeze`, 'cannot be combined with crash', 'freeze the consumer or crash it, in two scenarios');
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
    command,
    secondMember,
    freeze,
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
