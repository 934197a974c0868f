#!/usr/bin/env node
// A team's own consumer in its own process, speaking docs/consumer-protocol.md: one JSON argument
// in, one JSON event per line on stdout, {"cmd":"close"} on stdin, diagnostics on stderr. Written in
// Node with kafkajs here; the same protocol works from Python, Go or anything that can write lines.
// It is its own application: it processes and commits as settings.mode says.
const readline = require('node:readline');
const { Kafka, logLevel } = require('kafkajs');

const start = JSON.parse(process.argv[2] ?? '{}');
const { bootstrap, topic, settings, consumerId } = start;
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const MODES = ['auto-commit', 'store-after-processing', 'commit-before-processing', 'commit-after-processing', 'commit-per-batch'];
const autoCommit = settings.mode === 'auto-commit' || settings.mode === 'store-after-processing';

/** The harness pre-fill writes {"seq":N,...}; the checker matches records by it. */
function recordOf(partition, message) {
  let seq = null;
  try {
    const value = JSON.parse(message.value.toString('utf8'));
    if (Number.isInteger(value.seq)) seq = value.seq;
  } catch {}
  return { partition, offset: Number(message.offset), seq, key: message.key ? message.key.toString('utf8') : null };
}

/** Next offsets (last processed + 1) per partition. */
const nextOffsets = (records) => [...new Map(records.map((r) => [r.partition, r.offset + 1]))].map(([partition, offset]) => ({ partition, offset }));

const kafka = new Kafka({ clientId: `team-consumer-${consumerId}`, brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, requestTimeout: settings.requestTimeoutMs });
const consumer = kafka.consumer({
  groupId: settings.groupId,
  sessionTimeout: settings.sessionTimeoutMs,
  heartbeatInterval: settings.heartbeatIntervalMs,
  rebalanceTimeout: settings.maxPollIntervalMs,
  maxWaitTimeInMs: settings.fetchMaxWaitMs,
  allowAutoTopicCreation: false,
});

let commitId = 0;
/** An application commit: kafkajs' commitOffsets resolves once the broker answered. A failure throws on (kafkajs redelivers). */
async function commit(records) {
  const id = commitId++;
  const offsets = nextOffsets(records);
  emit({ e: 'commit', phase: 'invoke', id, auto: false, offsets });
  try {
    await consumer.commitOffsets(offsets.map((o) => ({ topic, partition: o.partition, offset: String(o.offset) })));
    emit({ e: 'commit', phase: 'ok', id, auto: false, offsets });
  } catch (error) {
    // A timeout says nothing about whether the broker took it: info; anything else: refused.
    const unknown = /timeout|timed out/i.test(String(error && error.message));
    emit({ e: 'commit', phase: unknown ? 'info' : 'fail', id, auto: false, offsets, error: String(error && error.message) });
    throw error;
  }
}

async function processOne(record) {
  emit({ e: 'process', phase: 'invoke', record });
  if (settings.processingMs > 0) await sleep(settings.processingMs);
  emit({ e: 'process', phase: 'ok', record });
}

/** One batch as the mode says (eachMessage hands over a batch of one). */
async function handle(records) {
  emit({ e: 'poll', records });
  if (settings.mode === 'commit-before-processing') await commit(records);
  for (const record of records) {
    await processOne(record);
    if (settings.mode === 'commit-after-processing') await commit([record]);
  }
  if (settings.mode === 'commit-per-batch') await commit(records);
}

async function main() {
  if (!MODES.includes(settings.mode)) throw new Error(`unknown mode ${settings.mode}`);
  let assigned = [];
  // kafkajs tells joins only: the previous assignment is revoked when a new one arrives.
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    if (assigned.length > 0) emit({ e: 'revoked', partitions: assigned, generation: null });
    assigned = [...(event.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
    emit({ e: 'assigned', partitions: assigned, generation: null });
  });
  let autoId = 0;
  consumer.on(consumer.events.COMMIT_OFFSETS, (event) => {
    if (!autoCommit) return; // in the commit modes every commit is the application's, already reported
    const offsets = event.payload.topics.filter((t) => t.topic === topic).flatMap((t) => t.partitions.map((p) => ({ partition: Number(p.partition), offset: Number(p.offset) })));
    const id = autoId++;
    emit({ e: 'commit', phase: 'invoke', id, auto: true, offsets });
    emit({ e: 'commit', phase: 'ok', id, auto: true, offsets });
  });
  consumer.on(consumer.events.CRASH, (event) => emit({ e: 'error', message: `kafkajs crashed: ${event.payload.error}` }));

  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: settings.autoOffsetReset === 'earliest' });
  const run = { autoCommit, autoCommitInterval: settings.autoCommitIntervalMs, autoCommitThreshold: settings.autoCommitThreshold };
  if (settings.api === 'eachBatch') {
    await consumer.run({ ...run, eachBatch: async ({ batch }) => handle(batch.messages.map((m) => recordOf(batch.partition, m))) });
  } else {
    await consumer.run({ ...run, eachMessage: async ({ partition, message }) => handle([recordOf(partition, message)]) });
  }
  emit({ e: 'ready' }); // kafkajs' run() resolves after the first join
}

let closing = false;
async function close(timeoutMs) {
  if (closing) return;
  closing = true;
  await Promise.race([consumer.disconnect().catch(() => {}), sleep(timeoutMs)]);
  emit({ e: 'closed' });
  process.exit(0);
}

const commands = readline.createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = JSON.parse(line);
  if (command.cmd === 'close') void close(command.timeoutMs ?? 10_000);
});
commands.on('close', () => void close(5_000)); // the harness went away: do not linger

main().catch((error) => {
  process.stderr.write(`team consumer: ${error && error.stack ? error.stack : error}\n`);
  process.exit(3);
});
