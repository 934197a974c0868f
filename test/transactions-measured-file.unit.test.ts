import path from 'node:path';
import { summaryFile, transactionsTable } from '../scripts/transactions-measured';

test('the summary file: transactions-repeat by default, transactions-<name>-repeat with --as <name>', () => {
  expect(path.basename(summaryFile(['a.json']).file)).toBe('transactions-repeat');
  expect(summaryFile(['a.json']).rest).toEqual(['a.json']);
  const java = summaryFile(['--as', 'java', 'a.json', 'b.json']);
  expect(path.basename(java.file)).toBe('transactions-java-repeat');
  expect(java.rest).toEqual(['a.json', 'b.json']);
});

test('--as without a plain name is refused naming the flag', () => {
  expect(() => summaryFile(['--as'])).toThrow(/--as needs a name/);
  expect(() => summaryFile(['--as', '../x'])).toThrow(/--as needs a name/);
});

test('a summary with rows merged in (save --merge) names each merged run in the table\'s first line', () => {
  const row = (name: string) => ({ name, runs: 5, verdicts: { pass: 5, fail: 0, unknown: 0 }, ranges: { committedLost: [0, 0, 0] as [number, number, number] } });
  const machine = { cores: 2, node: '20' };
  const base = { kind: 'kchaos-measured' as const, suite: 'transactions', repeat: 5, measuredAt: '2026-11-30T19:57:00Z', kafkaVersion: '4.3.1', durationMs: 60_000, machine };
  const plain = transactionsTable({ ...base, scenarios: [row('transactions/a/commit/no-fault')] });
  expect(plain.split('\n')[0]).toContain('1 min: 5 of 5 scenario runs passed');
  const merged = transactionsTable({
    ...base,
    scenarios: [row('transactions/a/commit/no-fault'), row('transactions/a/commit/broker-kill')],
    merged: [{ prefix: 'transactions/a/commit/', names: ['transactions/a/commit/broker-kill'], repeat: 5, measuredAt: '2026-12-01T03:03:00Z', kafkaVersion: '4.3.1', durationMs: 360_000, machine }],
  });
  expect(merged.split('\n')[0]).toContain('1 min; then `kchaos run transactions/a/commit/broker-kill --repeat 5 --parallel 1` finished 2026-12-01T03:03 UTC, Kafka 4.3.1, 6 min (its rows replace any of the first run\'s): 10 of 10');
});
