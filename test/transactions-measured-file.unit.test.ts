import path from 'node:path';
import { summaryFile } from '../scripts/transactions-measured';

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
