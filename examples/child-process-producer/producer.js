#!/usr/bin/env node
// A producer under test in its own process, speaking docs/producer-protocol.md: JSON lines, requests
// on stdin, answers on stdout, diagnostics on stderr. Written in Node with kafkajs here; the same
// protocol works from Python, Go or anything else that can read and write lines.
const readline = require('node:readline');
const { Kafka, logLevel, Partitioners, CompressionTypes } = require('kafkajs');

let producer;
let settings;
let topic;

const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const log = (line) => process.stderr.write(`${line}\n`);

/** Only a refused connection or NOT_ENOUGH_REPLICAS tell us nothing was written; a timeout may still land. */
function isDefinite(error) {
  for (let e = error, depth = 0; e && depth < 10; e = e.cause ?? e.originalError, depth++) {
    if (e.type === 'NOT_ENOUGH_REPLICAS' || /ECONNREFUSED|Connection refused/i.test(`${e.message} ${e.code ?? ''}`)) return true;
  }
  return false;
}

async function init(request) {
  settings = request.settings;
  topic = request.topic;
  const kafka = new Kafka({
    clientId: 'child-process-producer',
    brokers: request.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: settings.requestTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: { retries: settings.retries },
  });
  producer = kafka.producer({ idempotent: settings.idempotent, maxInFlightRequests: settings.maxInFlight, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  reply({ type: 'ready' });
}

async function send(request) {
  const messages = request.messages.map((m) => ({ key: m.key, value: Buffer.from(m.value, 'base64'), partition: m.partition ?? undefined }));
  try {
    const metadata = await producer.send({ topic, acks: settings.acks === 'all' ? -1 : settings.acks, timeout: settings.requestTimeoutMs, compression: CompressionTypes.None, messages });
    // One message per request unless messagesPerSend > 1: offsets follow the partition's base offset.
    const next = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset)]));
    const outcomes = request.messages.map((m) => {
      const partition = m.partition ?? metadata[0]?.partition ?? 0;
      const offset = next.get(partition) ?? -1;
      if (offset >= 0) next.set(partition, offset + 1);
      return { ok: true, partition, offset };
    });
    reply({ type: 'result', id: request.id, outcomes });
  } catch (error) {
    const definite = isDefinite(error);
    reply({ type: 'result', id: request.id, outcomes: request.messages.map((m) => ({ ok: false, definite, error: String(error.message ?? error), partition: m.partition })) });
  }
}

async function close(request) {
  await Promise.race([producer?.disconnect().catch(() => {}), new Promise((resolve) => setTimeout(resolve, request.timeoutMs))]);
  reply({ type: 'closed' });
  process.exit(0);
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (!line.trim()) return;
  const request = JSON.parse(line);
  if (request.type === 'init') init(request).catch((error) => { reply({ type: 'error', error: String(error.message ?? error) }); process.exit(1); });
  else if (request.type === 'send') void send(request);
  else if (request.type === 'close') void close(request);
  else log(`unknown request type ${request.type}`);
});
// stdin closed: the harness is gone.
lines.on('close', () => setTimeout(() => process.exit(0), 1000).unref());
