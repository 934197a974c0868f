import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../harness/errors';
import { readHistory, readObserved } from '../harness/history/jsonl-files';
import { createRunFolder } from '../harness/run-folder';
import { defineScenario } from '../scenarios/define-scenario';
import { loadScenarioFile } from '../scenarios/load-scenarios';

// Fuzzing the loaders: whatever bytes or shapes come in, the only failure allowed is one
// HarnessError naming the place (file:line, or the scenario field) — never a TypeError, never a hang.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function drain(iterable: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of iterable) n++;
  return n;
}

const jsonish = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ index: fc.integer(), timeMs: fc.double(), process: fc.string(), type: fc.constantFrom('invoke', 'ok', 'fail', 'info', 'okk'), f: fc.constantFrom('send', 'inject', 'heal', 'x'), value: fc.anything() }).map((v) => JSON.stringify(v)),
  fc.record({ partition: fc.anything(), offset: fc.anything(), seq: fc.anything(), key: fc.anything() }).map((v) => JSON.stringify(v)),
);

test.each([
  ['history', readHistory],
  ['observed', readObserved],
] as const)('fuzzed %s files: every failure is one HarnessError naming file:line', async (kind, read) => {
  let case_ = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(jsonish, { maxLength: 8 }), async (lines) => {
      const file = path.join(tmp, `${kind}-${case_++}.jsonl`);
      fs.writeFileSync(file, lines.join('\n'));
      try {
        await drain(read(file));
      } catch (error) {
        expect(error).toBeInstanceOf(HarnessError);
        expect((error as Error).message).toMatch(new RegExp(`${path.basename(file).replace('.', '\\.')}:\\d+`));
      }
    }),
    { numRuns: 300 },
  );
});

test('fuzzed scenario inputs: valid ones resolve, the rest give one HarnessError naming a field', () => {
  const fields = fc.record(
    {
      name: fc.oneof(fc.string(), fc.constant('fuzz/x')),
      client: fc.oneof(fc.constantFrom('kafkajs', 'node-rdkafka'), fc.string()),
      strategy: fc.oneof(fc.constantFrom('round-robin', 'hashing', 'manual'), fc.anything()),
      mode: fc.oneof(fc.constantFrom('library-only', 'workaround'), fc.anything()),
      faults: fc.oneof(fc.array(fc.record({ kind: fc.constantFrom('refuse', 'blackhole', 'boom'), target: fc.constantFrom('k1', 'leaderOf(0)', 'kx'), atMs: fc.anything() }, { requiredKeys: ['kind', 'target'] })), fc.anything()),
      config: fc.oneof(fc.record({ acks: fc.constantFrom('all', 0, 1, 2), retries: fc.anything(), idempotent: fc.anything() }, { requiredKeys: [] }), fc.dictionary(fc.string(), fc.anything())),
      workload: fc.oneof(fc.record({ messages: fc.anything(), ratePerSec: fc.anything() }, { requiredKeys: [] }), fc.constant(undefined)),
      expect: fc.oneof(fc.dictionary(fc.constantFrom('undelivered', 'lostAcked', 'lost'), fc.oneof(fc.integer(), fc.record({ gt: fc.anything() }))), fc.constant(undefined)),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fields, (input) => {
      try {
        const scenario = defineScenario(input as never);
        expect(typeof scenario.name).toBe('string');
      } catch (error) {
        expect(error).toBeInstanceOf(HarnessError);
        expect((error as Error).message).toMatch(/^scenario/);
      }
    }),
    { numRuns: 1000 },
  );
});

test('a malformed scenario file gives one error naming the file and the field', () => {
  const broken = path.join(tmp, 'broken.json');
  fs.writeFileSync(broken, '{"name": "x", "client": "kafkajs",');
  expect(() => loadScenarioFile(broken)).toThrow(/broken\.json: not valid JSON/);
  const wrongField = path.join(tmp, 'wrong.json');
  fs.writeFileSync(wrongField, JSON.stringify([{ name: 'a', client: 'kafkajs' }, { name: 'b', client: 'kafkajs', faults: [{ kind: 'blackhole', target: 'k9x' }] }]));
  expect(() => loadScenarioFile(wrongField)).toThrow(/wrong\.json \[1\]: scenario "b"\.faults\[0\]\.target/);
  expect(() => loadScenarioFile(path.join(tmp, 'missing.json'))).toThrow(/does not exist/);
});

test('an unwritable run folder is one clear error that says how to fix it', () => {
  const readOnly = path.join(tmp, 'read-only');
  fs.mkdirSync(readOnly);
  fs.chmodSync(readOnly, 0o500);
  const asRoot = process.getuid?.() === 0; // root writes anywhere: use a path under a file instead
  const target = asRoot ? path.join(tmp, 'a-file') : readOnly;
  if (asRoot) fs.writeFileSync(target, '');
  expect(() => createRunFolder(target, 'run-1')).toThrow(/cannot write the run folder[\s\S]*--out/);
});
