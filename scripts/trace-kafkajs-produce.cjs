/**
 * Diagnostic preload, not part of the harness: records every Produce request kafkajs sends, with
 * the batch's firstSequence per partition, the keys in it, when it started and how it ended, and
 * every AddPartitionsToTxn (the other request inside kafkajs' retried send).
 * Written to find where kafkajs' transactional duplicates come from (issue 17):
 *   KCHAOS_TRACE_PRODUCE=/tmp/produce.jsonl NODE_OPTIONS="--require $PWD/scripts/trace-kafkajs-produce.cjs" \
 *     npm run kchaos -- run transactions/kafkajs/commit/no-fault --backend local
 * A batch written twice shows up as two requests for the same keys with DIFFERENT firstSequence
 * (the broker cannot recognise the second as a retry) — see docs/transactions.md.
 */
const fs = require('node:fs');
const path = require('node:path');

const out = process.env.KCHAOS_TRACE_PRODUCE;
if (out) {
  // Resolve kafkajs the way the harness does (from the project root), so the patched class is the one in use.
  const Broker = require(require.resolve('kafkajs/src/broker', { paths: [path.join(__dirname, '..')] }));
  const original = Broker.prototype.produce;
  const started = Date.now();
  const write = (entry) => fs.appendFileSync(out, `${JSON.stringify(entry)}\n`);
  let next = 0;
  Broker.prototype.produce = async function traced(request) {
    const id = next++;
    const partitions = request.topicData.flatMap((t) =>
      t.partitions.map((p) => ({ partition: p.partition, firstSequence: p.firstSequence, keys: p.messages.map((m) => String(m.key)) })),
    );
    const node = this.nodeId ?? null;
    write({ id, at: Date.now() - started, pid: process.pid, node, event: 'send', producerId: request.producerId, epoch: request.producerEpoch, partitions });
    try {
      const response = await original.call(this, request);
      const offsets = (response.topics ?? []).flatMap((t) => t.partitions.map((p) => ({ partition: p.partition, baseOffset: String(p.baseOffset), errorCode: p.errorCode })));
      write({ id, at: Date.now() - started, node, event: 'ok', offsets });
      return response;
    } catch (error) {
      write({ id, at: Date.now() - started, node, event: 'error', error: `${error.name}: ${error.message}` });
      throw error;
    }
  };
  // AddPartitionsToTxn runs inside the same retried send (before each broker's Produce): its errors retry the send too.
  const originalAdd = Broker.prototype.addPartitionsToTxn;
  Broker.prototype.addPartitionsToTxn = async function traced(request) {
    const id = next++;
    const partitions = request.topics.flatMap((t) => t.partitions);
    write({ id, at: Date.now() - started, pid: process.pid, node: this.nodeId ?? null, event: 'add-partitions', producerId: request.producerId, epoch: request.producerEpoch, partitions });
    try {
      const response = await originalAdd.call(this, request);
      write({ id, at: Date.now() - started, event: 'ok' });
      return response;
    } catch (error) {
      write({ id, at: Date.now() - started, event: 'error', error: `${error.name}: ${error.message}`, type: error.type });
      throw error;
    }
  };
}
