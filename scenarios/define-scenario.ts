import { HarnessError } from '../harness/errors';
import { COUNT_NAMES, CountName, ExpectationOp } from '../harness/checker/check-types';
import { defaultExpectations } from '../harness/checker/guarantee-model';
import { DEFAULT_PRODUCER_SETTINGS } from '../harness/clients/producer-under-test';
import { actsOnLink, DIRECTION_RULES, FAULT_KINDS, FAULT_PARAMETERS, FaultParameterName, FaultSpec, HEAL_RULES, isLinkFault, isPacketFault, LINKS } from '../harness/faults/fault-spec';
import { isValidTarget, TARGET_EXAMPLES } from '../harness/faults/fault-target';
import { DEFAULT_WORKAROUND, MODE_NAMES, STRATEGY_NAMES } from '../harness/strategies/partition-strategy';
import { DEFAULT_WORKLOAD } from '../harness/workload/workload';
import { fullSpeedDefaults } from '../harness/workload/full-speed';
import { isResilientClient, RESILIENT_CLIENTS } from '../harness/resilient/resilient-options';
import { checkProducerSpec } from './producer-spec';
import { checkTransactionSettings } from '../harness/transactions/check-transaction-settings';
import { checkConsumerScenario } from '../harness/consumers/consumer-scenario';
import { consumerGuarantees } from '../harness/checker/consumer-guarantees';

/** A consumer scenario's claims on the harness's pre-fill (made before any fault): all of it lands, once. */
const PREFILL_EXPECTATIONS = { undelivered: 0, lostAcked: 0, duplicates: 0 };
import { CLIENT_NAMES, CUSTOM_CLIENT, Scenario, ScenarioConfig, ScenarioInput } from './scenario';

/** @default 1000 */
export const DEFAULT_SETTLE_MS = 1_000;
const DEFAULT_CONFIG: ScenarioConfig = { ...DEFAULT_PRODUCER_SETTINGS, minInsyncReplicas: 2, uncleanLeaderElection: false };
const EXPECTATION_OPS: ExpectationOp[] = ['eq', 'lt', 'lte', 'gt', 'gte'];

/** A consumer field that names a command (its validation is checkConsumerScenario's). */
function hasConsumerCommand(consumer: unknown): boolean {
  return typeof consumer === 'object' && consumer !== null && (consumer as { command?: unknown }).command !== undefined && (consumer as { command?: unknown }).command !== null;
}

function fail(where: string, problem: string, fix: string): never {
  throw new HarnessError(`${where}: ${problem}`, { hint: fix });
}

function oneOf<T extends string>(where: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(where, `${JSON.stringify(value)} is not allowed`, `use one of ${allowed.join(', ')}`);
  return value as T;
}

function checkKeys(where: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${where}.${key}`, 'unknown field', `known fields: ${allowed.join(', ')}`);
  }
}

function nonNegative(where: string, value: unknown, { integer = false, positive = false } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0) && (!integer || Number.isInteger(value));
  if (!ok) fail(where, `${JSON.stringify(value)} is not a ${positive ? 'positive' : 'non-negative'} ${integer ? 'integer' : 'number'}`, 'give a number such as 1000');
  return value as number;
}

/** One fault: kind first (it decides which fields are allowed), then target, timing, link, direction, heal mode, parameters. */
function checkFault(where: string, fault: Record<string, unknown>): FaultSpec {
  if (!fault || typeof fault !== 'object' || Array.isArray(fault)) fail(where, 'is not an object', 'give e.g. { kind: "blackhole", target: "k1" }');
  const kind = oneOf(`${where}.kind`, fault.kind, FAULT_KINDS);
  const link = actsOnLink(kind);
  const parameterNames = Object.keys(FAULT_PARAMETERS[kind]) as FaultParameterName[];
  const directions = isLinkFault(kind) ? DIRECTION_RULES[kind] : [];
  const healModes = isPacketFault(kind) ? HEAL_RULES[kind] : [];
  if (isPacketFault(kind) && fault.direction !== undefined) {
    fail(`${where}.direction`, `packet faults take no direction (${kind} is one way of cutting the link)`, 'use partition (both ways dropped), partition-oneway (answers dropped) or tcp-reset (requests reset); leave direction out');
  }
  if (kind === 'tcp-reset' && fault.onHeal !== undefined) {
    fail(`${where}.onHeal`, 'tcp-reset takes no onHeal: it resets every connection through the port itself', 'leave onHeal out, or use partition / partition-oneway');
  }
  const allowed = ['kind', 'target', 'atMs', 'healAtMs', ...(link ? ['link'] : []), ...(directions.length > 0 ? ['direction'] : []), ...(healModes.length > 0 ? ['onHeal'] : []), ...parameterNames];
  checkKeys(where, fault, allowed);
  if (typeof fault.target !== 'string' || !isValidTarget(fault.target)) fail(`${where}.target`, `${JSON.stringify(fault.target)} is not a target`, `use a broker or a role: ${TARGET_EXAMPLES}`);
  const atMs = nonNegative(`${where}.atMs`, fault.atMs ?? 0);
  const healAtMs = fault.healAtMs === undefined || fault.healAtMs === null ? null : nonNegative(`${where}.healAtMs`, fault.healAtMs);
  if (healAtMs !== null && healAtMs <= atMs) fail(`${where}.healAtMs`, `${healAtMs} is not after atMs ${atMs}`, 'heal after the fault starts, or leave healAtMs out to heal at the end');
  if (kind === 'restart' && healAtMs !== null) fail(`${where}.healAtMs`, 'a restart heals itself (SIGTERM, downMs, start again)', 'leave healAtMs out; downMs sets how long the broker stays down');
  const spec: FaultSpec = { kind, target: fault.target, atMs, healAtMs };
  if (link) spec.link = oneOf(`${where}.link`, fault.link ?? 'client', LINKS);
  if (directions.length > 0) {
    if (kind === 'ack-loss' && fault.direction !== undefined && fault.direction !== 'downstream') {
      fail(`${where}.direction`, `${JSON.stringify(fault.direction)} is not allowed: ack-loss lets requests through and holds only the responses`, 'leave direction out (downstream), or use blackhole to hold both ways');
    }
    spec.direction = oneOf(`${where}.direction`, fault.direction ?? directions[0], directions);
  }
  if (healModes.length > 0) spec.onHeal = oneOf(`${where}.onHeal`, fault.onHeal ?? healModes[0], healModes);
  for (const name of parameterNames) {
    const rule = FAULT_PARAMETERS[kind][name]!;
    const value = fault[name] ?? rule.default;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min) fail(`${where}.${name}`, `${JSON.stringify(value)} is not an integer >= ${rule.min}`, `give e.g. ${rule.default}`);
    spec[name] = value;
  }
  if (kind === 'slicer' && spec.sizeVariationBytes! >= spec.averageSizeBytes!) {
    fail(`${where}.sizeVariationBytes`, `${spec.sizeVariationBytes} is not smaller than averageSizeBytes ${spec.averageSizeBytes}`, 'Toxiproxy\'s slicer needs size_variation < average_size');
  }
  return spec;
}

/** Checks every field of `input` (one error naming the first wrong field) and applies the defaults. */
export function defineScenario(input: ScenarioInput): Scenario {
  if (!input || typeof input !== 'object') fail('scenario', 'is not an object', 'export an object with at least name and client');
  const at = `scenario ${typeof input.name === 'string' ? JSON.stringify(input.name) : '(unnamed)'}`;
  checkKeys(at, input, ['name', 'description', 'client', 'producer', 'strategy', 'mode', 'faults', 'config', 'workload', 'workaround', 'settleMs', 'expect', 'transactions', 'consumer']);
  if (typeof input.name !== 'string' || !input.name.trim()) fail(`${at}.name`, 'is missing', 'give the scenario a unique name, e.g. "team/kafkajs/k1-down"');
  // A team's own producer (module or child process) replaces a built-in client; results show 'custom'.
  const producer = input.producer === undefined ? undefined : checkProducerSpec(`${at}.producer`, input.producer);
  if (producer && input.client !== undefined && input.client !== CUSTOM_CLIENT) fail(`${at}.producer`, `cannot be combined with client ${JSON.stringify(input.client)}`, 'give either client (a built-in producer) or producer (your own), not both');
  // A team's own consumer (consumer.command, a process speaking docs/consumer-protocol.md) is client 'custom' too.
  const ownConsumer = !producer && (input.client === undefined || input.client === CUSTOM_CLIENT) && hasConsumerCommand(input.consumer);
  if (!producer && !ownConsumer && input.consumer !== undefined && input.client === CUSTOM_CLIENT) fail(`${at}.consumer.command`, `is missing: client "${CUSTOM_CLIENT}" needs your consumer's command`, 'give consumer: { command: ["node", "consumer.js"] } (a process speaking docs/consumer-protocol.md), or a built-in client');
  if (!producer && !ownConsumer && (input.client === undefined || input.client === CUSTOM_CLIENT)) fail(`${at}.client`, input.client === undefined ? 'is missing' : `"${CUSTOM_CLIENT}" needs a producer field`, `give a built-in client (${CLIENT_NAMES.join(', ')}) or your own producer: { module: "./my-producer.ts" } or { command: ["node", "producer.js"] }${input.consumer !== undefined ? ', or your own consumer: consumer: { command: ["node", "consumer.js"] }' : ''}`);
  const client = producer || ownConsumer ? CUSTOM_CLIENT : oneOf(`${at}.client`, input.client, CLIENT_NAMES);
  const strategy = oneOf(`${at}.strategy`, input.strategy ?? 'round-robin', STRATEGY_NAMES);
  const mode = oneOf(`${at}.mode`, input.mode ?? 'library-only', MODE_NAMES);
  if (mode === 'resilient' && !isResilientClient(client)) {
    fail(`${at}.mode`, `"resilient" is not available for client ${JSON.stringify(client)}`, `the resilient producer drives ${RESILIENT_CLIENTS.join(' or ')}: use one of them as client, or mode library-only / workaround`);
  }

  if (input.faults !== undefined && !Array.isArray(input.faults)) fail(`${at}.faults`, 'is not a list', 'give a list such as [{ kind: "blackhole", target: "k1" }]');
  const faults = (input.faults ?? []).map((fault, i) => checkFault(`${at}.faults[${i}]`, fault as Record<string, unknown>));

  // ratePerSec null: the client's best configuration under what the scenario sets (harness/workload/full-speed.ts).
  const fullSpeed = fullSpeedDefaults({ client, mode, workload: input.workload, transactions: input.transactions, consumer: input.consumer });
  const config = { ...DEFAULT_CONFIG, ...fullSpeed.config, ...input.config };
  checkKeys(`${at}.config`, config, Object.keys(DEFAULT_CONFIG));
  if (!['all', 0, 1].includes(config.acks as never)) fail(`${at}.config.acks`, `${JSON.stringify(config.acks)} is not allowed`, 'use "all", 1 or 0');
  for (const key of ['retries', 'requestTimeoutMs', 'deliveryTimeoutMs', 'maxInFlight', 'lingerMs', 'batchSizeBytes', 'minInsyncReplicas'] as const) {
    nonNegative(`${at}.config.${key}`, config[key], { integer: true });
  }
  nonNegative(`${at}.config.messagesPerSend`, config.messagesPerSend, { integer: true, positive: true });
  if (config.appDeadlineMs !== null) nonNegative(`${at}.config.appDeadlineMs`, config.appDeadlineMs, { integer: true, positive: true });
  for (const key of ['idempotent', 'uncleanLeaderElection'] as const) {
    if (typeof config[key] !== 'boolean') fail(`${at}.config.${key}`, `${JSON.stringify(config[key])} is not a boolean`, 'use true or false');
  }

  const workload = { ...DEFAULT_WORKLOAD, ...fullSpeed.workload, ...input.workload };
  checkKeys(`${at}.workload`, workload, Object.keys(DEFAULT_WORKLOAD));
  nonNegative(`${at}.workload.messages`, workload.messages, { integer: true, positive: true });
  if (workload.ratePerSec !== null) nonNegative(`${at}.workload.ratePerSec`, workload.ratePerSec, { positive: true });
  nonNegative(`${at}.workload.concurrency`, workload.concurrency, { integer: true, positive: true });
  nonNegative(`${at}.workload.payloadBytes`, workload.payloadBytes, { integer: true });
  nonNegative(`${at}.workload.drainDeadlineMs`, workload.drainDeadlineMs, { positive: true });

  const workaround = { ...DEFAULT_WORKAROUND, ...input.workaround };
  checkKeys(`${at}.workaround`, workaround, Object.keys(DEFAULT_WORKAROUND));
  nonNegative(`${at}.workaround.maxAttempts`, workaround.maxAttempts, { integer: true, positive: true });
  nonNegative(`${at}.workaround.deadlineMs`, workaround.deadlineMs);
  nonNegative(`${at}.workaround.avoidLeaderMs`, workaround.avoidLeaderMs);

  // No expectations given: the guarantee model's (every count a Kafka promise covers must be 0).
  const consumer = input.consumer === undefined ? undefined : checkConsumerScenario(`${at}.consumer`, client, input.consumer, (c) => consumerGuarantees(c.settings.mode));
  const expect = input.expect ?? (consumer ? PREFILL_EXPECTATIONS : defaultExpectations({ ...config, faults, mode, client }));
  for (const [count, rule] of Object.entries(expect)) {
    if (!COUNT_NAMES.includes(count as CountName)) fail(`${at}.expect.${count}`, 'unknown count', `known counts: ${COUNT_NAMES.join(', ')}`);
    if (typeof rule === 'number') continue;
    if (!rule || typeof rule !== 'object') fail(`${at}.expect.${count}`, `${JSON.stringify(rule)} is not a number or { op: number }`, 'write e.g. 0 or { gt: 0 }');
    checkKeys(`${at}.expect.${count}`, rule, EXPECTATION_OPS);
    for (const [op, value] of Object.entries(rule)) {
      if (typeof value !== 'number') fail(`${at}.expect.${count}.${op}`, `${JSON.stringify(value)} is not a number`, 'write e.g. { gt: 0 }');
    }
  }

  const transactions = input.transactions === undefined ? undefined : checkTransactionSettings(`${at}.transactions`, client, input.transactions, config);
  return {
    name: input.name,
    description: input.description,
    client,
    ...(producer ? { producer } : {}),
    strategy,
    mode,
    faults,
    config,
    workload,
    workaround,
    settleMs: nonNegative(`${at}.settleMs`, input.settleMs ?? DEFAULT_SETTLE_MS),
    expect,
    ...(transactions ? { transactions } : {}),
    ...(consumer ? { consumer } : {}),
  };
}
