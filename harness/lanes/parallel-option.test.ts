import type { StartedCluster } from '../cluster/started-cluster';
import { defaultParallel, parseParallel, sendingLimit, usableLanes } from './parallel-option';

test('default: four lanes per core, at most 8, at least 1; one per core sending', () => {
  expect(defaultParallel(1)).toBe(4);
  expect(defaultParallel(2)).toBe(8);
  expect(defaultParallel(64)).toBe(8);
  expect(defaultParallel(0)).toBe(1);
  expect(sendingLimit(2)).toBe(2);
  expect(sendingLimit(0)).toBe(1);
});

test('--parallel: a whole number 1…16, else one error naming the flag and the fix', () => {
  expect(parseParallel(undefined)).toBeUndefined();
  expect(parseParallel('1')).toBe(1);
  expect(parseParallel('16')).toBe(16);
  for (const bad of ['0', '-1', '2.5', 'four', '17', '']) expect(() => parseParallel(bad)).toThrow(/--parallel .* is not a whole number from 1 to 16/);
});

const cluster = (backend: StartedCluster['backend'], lanes: number) => ({ backend, lanes: Array.from({ length: lanes }, (_, i) => ({ index: i + 1, brokers: [] })) }) as unknown as StartedCluster;

test('lanes used: what was asked, capped by the cluster; asked explicitly for more, it says so once', () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  expect(usableLanes(3, cluster('local', 4), true, log)).toBe(3);
  expect(usableLanes(4, cluster('docker', 1), false, log)).toBe(1);
  expect(lines).toEqual([]); // the default asked for more: no message
  expect(usableLanes(4, cluster('docker', 4), true, log)).toBe(4); // docker clusters have lanes too
  expect(usableLanes(4, { backend: 'external' } as StartedCluster, true, log)).toBe(1);
  expect(lines).toEqual(['run: --parallel 4: the external backend has one client lane (lanes need the extra listeners the local and docker backends start): running one scenario at a time']);
});
