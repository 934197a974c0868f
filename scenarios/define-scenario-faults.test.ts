import { defineScenario } from './define-scenario';
import { FAULT_KINDS } from '../harness/faults/fault-spec';

const minimal = { name: 'team/faults', client: 'node-rdkafka' as const };
const define = (fault: Record<string, unknown>) => defineScenario({ ...minimal, faults: [fault as never] }).faults[0];

test('every kind of the catalogue is accepted with its defaults filled in', () => {
  for (const kind of FAULT_KINDS) expect(define({ kind, target: 'k1' }).kind).toBe(kind);
  expect(define({ kind: 'latency', target: 'k1' })).toEqual({ kind: 'latency', target: 'k1', atMs: 0, healAtMs: null, link: 'client', direction: 'both', latencyMs: 1000, jitterMs: 0 });
  expect(define({ kind: 'ack-loss', target: 'leaderOf(0)' })).toMatchObject({ link: 'client', direction: 'downstream' });
  expect(define({ kind: 'refuse', target: 'k2', link: 'replication' })).toEqual({ kind: 'refuse', target: 'k2', atMs: 0, healAtMs: null, link: 'replication' });
  expect(define({ kind: 'flap', target: 'k1', periodMs: 500 })).toMatchObject({ periodMs: 500, link: 'client' });
  expect(define({ kind: 'kill', target: 'leaderOf(1)', atMs: 100, healAtMs: 200 })).toEqual({ kind: 'kill', target: 'leaderOf(1)', atMs: 100, healAtMs: 200 });
  expect(define({ kind: 'restart', target: 'k3' })).toEqual({ kind: 'restart', target: 'k3', atMs: 0, healAtMs: null, graceMs: 30000, downMs: 0 });
  expect(define({ kind: 'slicer', target: 'k1', averageSizeBytes: 100, sizeVariationBytes: 10, delayUs: 0 })).toMatchObject({ averageSizeBytes: 100, sizeVariationBytes: 10, delayUs: 0 });
  expect(define({ kind: 'partition', target: 'k1' })).toEqual({ kind: 'partition', target: 'k1', atMs: 0, healAtMs: null, link: 'client', onHeal: 'resume' });
  expect(define({ kind: 'partition-oneway', target: 'leaderOf(0)', onHeal: 'drop-connections', link: 'replication' })).toMatchObject({ onHeal: 'drop-connections', link: 'replication' });
  expect(define({ kind: 'tcp-reset', target: 'groupCoordinatorOf(orders)', healAtMs: 500 })).toEqual({ kind: 'tcp-reset', target: 'groupCoordinatorOf(orders)', atMs: 0, healAtMs: 500, link: 'client' });
  expect(define({ kind: 'kill', target: 'transactionCoordinatorOf(tx-1)' }).target).toBe('transactionCoordinatorOf(tx-1)');
});

test.each([
  [{ kind: 'ack-loss', target: 'k1', direction: 'upstream' }, /faults\[0\]\.direction: "upstream" is not allowed: ack-loss lets requests through[\s\S]*blackhole/],
  [{ kind: 'latency', target: 'k1', direction: 'sideways' }, /faults\[0\]\.direction: "sideways" is not allowed[\s\S]*both, upstream, downstream/],
  [{ kind: 'refuse', target: 'k1', direction: 'upstream' }, /faults\[0\]\.direction: unknown field/],
  [{ kind: 'flap', target: 'k1', direction: 'both' }, /faults\[0\]\.direction: unknown field/],
  [{ kind: 'kill', target: 'k1', link: 'client' }, /faults\[0\]\.link: unknown field/],
  [{ kind: 'latency', target: 'k1', rateKBps: 5 }, /faults\[0\]\.rateKBps: unknown field[\s\S]*latencyMs, jitterMs/],
  [{ kind: 'latency', target: 'k1', latencyMs: -1 }, /faults\[0\]\.latencyMs: -1 is not an integer >= 0/],
  [{ kind: 'latency', target: 'k1', jitterMs: 1.5 }, /faults\[0\]\.jitterMs: 1\.5 is not an integer >= 0/],
  [{ kind: 'bandwidth', target: 'k1', rateKBps: 0 }, /faults\[0\]\.rateKBps: 0 is not an integer >= 1/],
  [{ kind: 'limit-data', target: 'k1', bytes: '4k' }, /faults\[0\]\.bytes: "4k" is not an integer >= 1/],
  [{ kind: 'flap', target: 'k1', periodMs: 10 }, /faults\[0\]\.periodMs: 10 is not an integer >= 100/],
  [{ kind: 'slicer', target: 'k1', averageSizeBytes: 8, sizeVariationBytes: 8 }, /faults\[0\]\.sizeVariationBytes: 8 is not smaller than averageSizeBytes 8/],
  [{ kind: 'refuse', target: 'k1', link: 'internal' }, /faults\[0\]\.link: "internal" is not allowed[\s\S]*client, replication/],
  [{ kind: 'restart', target: 'k1', healAtMs: 5000 }, /faults\[0\]\.healAtMs: a restart heals itself/],
  [{ kind: 'stop', target: 'k1', graceMs: -5 }, /faults\[0\]\.graceMs: -5 is not an integer >= 0/],
  [{ kind: 'pause', target: 'followersOf(0)' }, /faults\[0\]\.target: "followersOf\(0\)" is not a target/],
  [{ kind: 'reset', target: 'k1' }, /faults\[0\]\.kind: "reset" is not allowed[\s\S]*reset-peer[\s\S]*tcp-reset[\s\S]*restart/],
  [{ kind: 'partition', target: 'k1', direction: 'downstream' }, /faults\[0\]\.direction: packet faults take no direction[\s\S]*partition-oneway \(answers dropped\)/],
  [{ kind: 'partition', target: 'k1', onHeal: 'later' }, /faults\[0\]\.onHeal: "later" is not allowed[\s\S]*resume, drop-connections/],
  [{ kind: 'tcp-reset', target: 'k1', onHeal: 'resume' }, /faults\[0\]\.onHeal: tcp-reset takes no onHeal/],
  [{ kind: 'blackhole', target: 'k1', onHeal: 'resume' }, /faults\[0\]\.onHeal: unknown field/],
  [{ kind: 'partition', target: 'groupCoordinatorOf()' }, /faults\[0\]\.target: "groupCoordinatorOf\(\)" is not a target[\s\S]*transactionCoordinatorOf/],
])('rejects %j with one error naming the field', (fault, message) => {
  expect(() => define(fault)).toThrow(message);
});

test('no expect: the guarantee model gives the defaults', () => {
  const strict = defineScenario({ ...minimal, config: { acks: 'all', minInsyncReplicas: 2, idempotent: true }, faults: [{ kind: 'kill', target: 'leaderOf(0)' }] });
  expect(strict.expect).toEqual({ lostAcked: 0, offsetMismatch: 0, duplicates: 0, reordered: 0, unexpected: 0 });
  const loose = defineScenario({ ...minimal, config: { acks: 1 }, faults: [{ kind: 'kill', target: 'leaderOf(0)' }] });
  expect(loose.expect).toEqual({ unexpected: 0 });
  expect(defineScenario({ ...minimal, expect: {} }).expect).toEqual({});
});
