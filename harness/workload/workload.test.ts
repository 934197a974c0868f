import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OutgoingMessage, ProducerUnderTest, SendOutcome } from '../clients/producer-under-test';
import { HistoryRecorder } from '../history/history-recorder';
import type { HistoryOp } from '../history/history-types';
import { DEFAULT_WORKAROUND } from '../strategies/partition-strategy';
import { createStrategy } from '../strategies/strategies';
import { runWorkload, WorkloadSettings } from './workload';

// The workload's bookkeeping (what it records, when it stops), driven by a scripted client: each
// message's outcome is decided by `answer`, so the history can be predicted.
type Answer = SendOutcome | 'never' | 'throw' | { afterMs: number; outcome: SendOutcome };
function scriptedProducer(answer: (m: OutgoingMessage) => Answer): ProducerUnderTest {
  return {
    client: 'scripted',
    connect: async () => {},
    async send(messages) {
      const answers = messages.map(answer);
      if (answers.includes('throw')) throw new Error('client blew up');
      if (answers.includes('never')) return new Promise<SendOutcome[]>(() => {});
      const delayed = answers.find((a): a is { afterMs: number; outcome: SendOutcome } => typeof a === 'object' && 'afterMs' in a);
      if (delayed) await new Promise((resolve) => setTimeout(resolve, delayed.afterMs));
      return answers.map((a) => (typeof a === 'object' && 'afterMs' in a ? a.outcome : a)) as SendOutcome[];
    },
    close: async () => {},
  };
}

const settings = (overrides: Partial<WorkloadSettings> = {}): WorkloadSettings => ({ messages: 20, ratePerSec: null, concurrency: 4, payloadBytes: 50, drainDeadlineMs: 2_000, ...overrides });
const topic = { partitions: 3, leaderOf: (p: number) => p + 1 };

async function run(producer: ProducerUnderTest, mode: 'library-only' | 'workaround', workload = settings(), appDeadlineMs: number | null = null, waitForClient = false) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-workload-'));
  const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
  const strategy = createStrategy('manual', mode, topic, DEFAULT_WORKAROUND, () => recorder.now());
  const result = await runWorkload(producer, strategy, recorder, workload, DEFAULT_WORKAROUND, { messagesPerSend: 1, leaderOf: topic.leaderOf, appDeadlineMs });
  if (waitForClient) await result.clientOutcomes;
  recorder.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const count = (type: string) => recorder.ops.filter((op) => op.f === 'send' && op.type === type).length;
  return { result, ops: recorder.ops, count };
}

test('every message is invoked once and acked once when the client acks everything', async () => {
  const { result, count } = await run(scriptedProducer((m) => ({ ok: true, partition: m.partition ?? 0, offset: m.seq })), 'library-only');
  expect({ invoke: count('invoke'), ok: count('ok'), outstanding: result.outstandingAtDeadline }).toEqual({ invoke: 20, ok: 20, outstanding: 0 });
});

test("the workaround resends what failed on partition 0's leader elsewhere, as further attempts of the same seq", async () => {
  const { ops, count } = await run(
    scriptedProducer((m) => (m.partition === 0 ? { ok: false, definite: false, error: 'timed out', partition: 0 } : { ok: true, partition: m.partition!, offset: m.seq })),
    'workaround',
  );
  // How many first attempts hit partition 0 depends on when the first failure is seen (then k1 is avoided).
  expect(count('info')).toBeGreaterThan(0);
  expect({ invoke: count('invoke'), ok: count('ok') }).toEqual({ invoke: 20 + count('info'), ok: 20 });
  const resends = ops.filter((op) => op.type === 'invoke' && (op.value as { attempt: number }).attempt === 2);
  expect(resends).toHaveLength(count('info'));
  expect(resends.every((op) => (op.value as { partition: number }).partition !== 0)).toBe(true);
  const ackedSeqs = ops.filter((op) => op.type === 'ok').map((op) => (op.value as { seq: number }).seq);
  expect(new Set(ackedSeqs).size).toBe(20);
});

test('sends with no answer are recorded as info at the drain deadline, and the workload returns then', async () => {
  const { result, count } = await run(scriptedProducer((m) => (m.seq === 5 ? 'never' : { ok: true, partition: 1, offset: m.seq })), 'library-only', settings({ drainDeadlineMs: 300 }));
  expect({ ok: count('ok'), info: count('info'), outstanding: result.outstandingAtDeadline }).toEqual({ ok: 19, info: 1, outstanding: 1 });
});

test('a client that throws does not stall the workload: its message is recorded as info', async () => {
  const { result, count } = await run(scriptedProducer((m) => (m.seq === 7 ? 'throw' : { ok: true, partition: 1, offset: m.seq })), 'library-only');
  expect({ ok: count('ok'), info: count('info') }).toEqual({ ok: 19, info: 1 });
  expect(result.sendsMs).toBeLessThan(2_000); // returned when the last send settled, not at the deadline
});

const acked = (m: OutgoingMessage): SendOutcome => ({ ok: true, partition: m.partition ?? 1, offset: m.seq });
const lateOps = (ops: HistoryOp[]) => ops.filter((op) => op.late === true);

test("a completion after the drain deadline is recorded, flagged late, with the client's own outcome", async () => {
  const { result, ops } = await run(
    scriptedProducer((m) => (m.seq === 3 ? { afterMs: 400, outcome: acked(m) } : acked(m))),
    'library-only', settings({ drainDeadlineMs: 150 }), null, true,
  );
  expect(result.outstandingAtDeadline).toBe(1);
  expect(result.awaitingClient()).toBe(0);
  const seq3 = ops.filter((op) => op.f === 'send' && (op.value as { seq: number }).seq === 3).map((op) => `${op.type}${op.late ? ' late' : ''}`);
  expect(seq3).toEqual(['invoke', 'info', 'ok late']);
});

test('the application deadline settles an attempt as info, lets the workaround resend, and keeps the late outcome', async () => {
  const { ops, count } = await run(
    scriptedProducer((m) => (m.partition === 0 && m.seq < 3 ? { afterMs: 300, outcome: acked(m) } : acked(m))),
    'workaround', settings({ messages: 3, concurrency: 3 }), 100, true,
  );
  const late = lateOps(ops);
  expect(late.map((op) => op.type)).toEqual(late.map(() => 'ok'));
  expect(late.length).toBeGreaterThan(0);
  const deadlineInfos = ops.filter((op) => op.type === 'info' && /application deadline appDeadlineMs 100/.test(String((op.value as { error: string }).error)));
  expect(deadlineInfos).toHaveLength(late.length);
  expect(count('invoke')).toBe(3 + late.length); // each deadline miss was resent elsewhere
});

test('no attempt starts after the drain deadline: retry loops stop, and nothing is turned into fail', async () => {
  const refused = (m: OutgoingMessage): Answer => ({ afterMs: 60, outcome: { ok: false, definite: true, error: 'refused', partition: m.partition } });
  const { result, ops } = await run(scriptedProducer(refused), 'workaround', settings({ messages: 4, concurrency: 4, drainDeadlineMs: 200 }), null, true);
  const invokesAfter = ops.filter((op) => op.type === 'invoke' && op.timeMs > 200 + 5);
  expect(invokesAfter).toEqual([]);
  expect(result.awaitingClient()).toBe(0);
  // Late outcomes keep the client's word (definite fail), flagged late; no info is rewritten.
  expect(lateOps(ops).every((op) => op.type === 'fail')).toBe(true);
});

test('a client whose send() throws before returning a promise is recorded as info too (one message per send)', async () => {
  const producer = scriptedProducer(acked);
  const send = producer.send.bind(producer);
  producer.send = (messages) => {
    if (messages[0].seq === 4) throw new Error('sync boom');
    return send(messages);
  };
  const { ops, count } = await run(producer, 'library-only');
  expect({ invoke: count('invoke'), ok: count('ok'), info: count('info') }).toEqual({ invoke: 20, ok: 19, info: 1 });
  expect(ops.find((op) => op.type === 'info')?.value).toMatchObject({ seq: 4, attempt: 1, error: 'the client threw: Error: sync boom' });
});

test('one message per send records the same ops as the batched path: invoke then ok, same fields', async () => {
  const single = await run(scriptedProducer(acked), 'library-only');
  const batched = await (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-workload-'));
    const recorder = new HistoryRecorder(path.join(dir, 'history.jsonl'));
    const strategy = createStrategy('manual', 'library-only', topic, DEFAULT_WORKAROUND, () => recorder.now());
    await runWorkload(scriptedProducer(acked), strategy, recorder, settings(), DEFAULT_WORKAROUND, { messagesPerSend: 2, leaderOf: topic.leaderOf });
    recorder.close();
    fs.rmSync(dir, { recursive: true, force: true });
    return recorder.ops;
  })();
  const shape = (ops: HistoryOp[]) => ops.map(({ index, timeMs, ...op }) => op).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  expect(shape(single.ops)).toEqual(shape(batched));
});

/** The scripted producer with the callback form too: sendEach answers through `send`'s script. */
function withSendEach(producer: ProducerUnderTest): ProducerUnderTest & { sendEachCalls: number } {
  const withCallback = Object.assign(producer, { sendEachCalls: 0 }) as ProducerUnderTest & { sendEachCalls: number };
  withCallback.sendEach = (message, id, done) => {
    withCallback.sendEachCalls++;
    void producer.send([message]).then(([outcome]) => done(id, outcome), () => done(id, { ok: false, definite: false, error: 'rejected', partition: message.partition }));
  };
  return withCallback;
}

test("a client's callback form (sendEach) is used for one message per send, and records the same ops as send()", async () => {
  const viaPromise = await run(scriptedProducer(acked), 'library-only');
  const producer = withSendEach(scriptedProducer(acked));
  const viaCallback = await run(producer, 'library-only');
  expect(producer.sendEachCalls).toBe(20);
  const shape = (ops: HistoryOp[]) => ops.map(({ timeMs, ...op }) => op);
  expect(shape(viaCallback.ops)).toEqual(shape(viaPromise.ops));
});

test('the callback form keeps the workaround, the drain deadline and late outcomes', async () => {
  const failingOnP0 = (m: OutgoingMessage): Answer => (m.partition === 0 ? { ok: false, definite: false, error: 'timed out', partition: 0 } : acked(m));
  const resent = await run(withSendEach(scriptedProducer(failingOnP0)), 'workaround');
  expect(resent.count('ok')).toBe(20);
  expect(resent.count('invoke')).toBe(20 + resent.count('info'));
  const late = await run(withSendEach(scriptedProducer((m) => (m.seq === 3 ? { afterMs: 400, outcome: acked(m) } : acked(m)))), 'library-only', settings({ drainDeadlineMs: 150 }), null, true);
  expect(late.result.outstandingAtDeadline).toBe(1);
  expect(lateOps(late.ops).map((op) => (op.value as { seq: number }).seq)).toEqual([3]);
});

test('a callback form that throws, even after answering, records one outcome and frees its slot', async () => {
  const producer = scriptedProducer(acked);
  producer.sendEach = (message, id, done) => {
    if (message.seq % 2 === 0) done(id, acked(message));
    if (message.seq < 10) throw new Error('callback boom');
    done(id, acked(message));
  };
  const { ops, result } = await run(producer, 'library-only', settings({ concurrency: 2 }));
  const outcomes = ops.filter((op) => op.type !== 'invoke').map((op) => `${(op.value as { seq: number }).seq} ${op.type}`);
  expect(outcomes).toHaveLength(20); // one per seq: a second answer is ignored
  expect(outcomes.filter((o) => o.endsWith('info'))).toEqual(['1 info', '3 info', '5 info', '7 info', '9 info']);
  expect(result.outstandingAtDeadline).toBe(0); // with 2 slots, a lost slot would have stalled it
});
