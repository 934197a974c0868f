import type { Counts } from './check-types';
import { ALLOWED, BREAKS, defaultExpectations, derivePromises, GuaranteeInputs, labelAnomalies, PromiseName } from './guarantee-model';

const ACKS = ['all', 1, 0] as const;
const MIN_ISR = [1, 2, 3];
const BOOLS = [false, true];
const IN_FLIGHT = [1, 5, 6];

const KILL = [{ kind: 'kill' }];
const ACK_LOSS = [{ kind: 'ack-loss', link: 'client' }];
const REPLICATION_CUT = [{ kind: 'refuse', link: 'replication' }];

/** Every combination of acks × min.insync.replicas × idempotence × in-flight × unclean election. */
function grid(extra: Partial<GuaranteeInputs> = {}): GuaranteeInputs[] {
  const all: GuaranteeInputs[] = [];
  for (const acks of ACKS)
    for (const minInsyncReplicas of MIN_ISR)
      for (const idempotent of BOOLS)
        for (const maxInFlight of IN_FLIGHT)
          for (const uncleanLeaderElection of BOOLS)
            all.push({ acks, minInsyncReplicas, idempotent, maxInFlight, uncleanLeaderElection, retries: 3, faults: KILL, ...extra });
  return all;
}

const holds = (inputs: GuaranteeInputs, name: PromiseName) => derivePromises(inputs).find((p) => p.promise === name)!.holds;
const label = (i: GuaranteeInputs) => `acks=${i.acks} minISR=${i.minInsyncReplicas} idem=${i.idempotent} inflight=${i.maxInFlight} unclean=${i.uncleanLeaderElection} retries=${i.retries}`;

const zero: Counts = {
  attempted: 100, acked: 100, failed: 0, indeterminate: 0, observed: 100, lostAcked: 0, undelivered: 0,
  deliveredDespiteError: 0, duplicates: 0, reordered: 0, offsetMismatch: 0, unexpected: 0,
};

test('the grid has 3 × 3 × 2 × 3 × 2 = 108 configurations', () => {
  expect(grid()).toHaveLength(108);
});

describe('no acknowledged loss is promised exactly for acks=all + min.insync.replicas >= 2 + no unclean election', () => {
  test.each(grid().map((i) => [label(i), i] as const))('%s (a leader can fail)', (_, inputs) => {
    const expected = inputs.acks === 'all' && inputs.minInsyncReplicas >= 2 && !inputs.uncleanLeaderElection;
    expect(holds(inputs, 'no-lost-acked')).toBe(expected);
  });

  test('without a fault that takes a leader away, acks=1 and unclean election lose nothing acknowledged', () => {
    for (const inputs of grid({ faults: ACK_LOSS }).filter((i) => i.acks !== 0)) expect(holds(inputs, 'no-lost-acked')).toBe(true);
    for (const inputs of grid({ faults: REPLICATION_CUT }).filter((i) => i.acks !== 0)) expect(holds(inputs, 'no-lost-acked')).toBe(true);
  });

  test('acks=0 promises nothing under any fault', () => {
    for (const faults of [KILL, ACK_LOSS, REPLICATION_CUT]) {
      for (const inputs of grid({ faults }).filter((i) => i.acks === 0)) expect(holds(inputs, 'no-lost-acked')).toBe(false);
    }
  });
});

describe('no duplicates is promised exactly when idempotence is in effect, retries are off, or acks=0', () => {
  test.each(grid({ faults: ACK_LOSS }).map((i) => [label(i), i] as const))('%s under ack-loss', (_, inputs) => {
    const idempotenceInEffect = inputs.idempotent && inputs.acks === 'all';
    expect(holds(inputs, 'no-duplicates')).toBe(inputs.acks === 0 || idempotenceInEffect);
  });

  test('retries=0 never duplicates; an application that resends always may', () => {
    for (const inputs of grid({ faults: ACK_LOSS, retries: 0 })) expect(holds(inputs, 'no-duplicates')).toBe(true);
    for (const inputs of grid({ faults: ACK_LOSS, mode: 'workaround' })) expect(holds(inputs, 'no-duplicates')).toBe(false);
  });
});

describe('ordering', () => {
  test.each(grid({ faults: ACK_LOSS, client: 'node-rdkafka' }).map((i) => [label(i), i] as const))('%s (node-rdkafka)', (_, inputs) => {
    const idempotenceInEffect = inputs.idempotent && inputs.acks === 'all';
    const expected =
      inputs.acks === 0 ||
      (idempotenceInEffect && inputs.maxInFlight <= 5) ||
      // without idempotence, duplicates are allowed and a late copy counts as reordered
      false;
    expect(holds(inputs, 'in-order')).toBe(expected);
  });

  test('max.in.flight=1 keeps order when retries cannot duplicate (no retries of a written batch)', () => {
    const base: GuaranteeInputs = { acks: 'all', idempotent: false, retries: 3, maxInFlight: 1, minInsyncReplicas: 2, uncleanLeaderElection: false, faults: ACK_LOSS };
    expect(holds(base, 'in-order')).toBe(false); // duplicates allowed → a late copy is a reorder
    expect(holds({ ...base, retries: 0 }, 'in-order')).toBe(true);
    expect(holds({ ...base, retries: 0, maxInFlight: 5 }, 'in-order')).toBe(true);
  });

  test('kafkajs retries each send() on its own: order is not promised even with idempotence', () => {
    const inputs: GuaranteeInputs = { acks: 'all', idempotent: true, retries: 5, maxInFlight: 1, minInsyncReplicas: 2, uncleanLeaderElection: false, faults: ACK_LOSS, client: 'kafkajs' };
    expect(holds(inputs, 'no-duplicates')).toBe(true);
    expect(holds(inputs, 'in-order')).toBe(false);
  });
});

test('with no fault in play every promise holds, whatever the configuration', () => {
  for (const inputs of grid({ faults: [] })) {
    expect(derivePromises(inputs).every((p) => p.holds)).toBe(true);
  }
});

describe('labelling', () => {
  const safe: GuaranteeInputs = { acks: 'all', idempotent: true, retries: 5, maxInFlight: 5, minInsyncReplicas: 2, uncleanLeaderElection: false, faults: KILL };

  test('only nonzero anomaly counts are labelled; failed and indeterminate are not anomalies', () => {
    expect(labelAnomalies({ ...zero, failed: 10, indeterminate: 3 }, safe).labels).toEqual([]);
  });

  test('acknowledged loss breaks the promise of acks=all + minISR 2, and is allowed with acks=1', () => {
    const counts = { ...zero, lostAcked: 7, undelivered: 9, offsetMismatch: 7 };
    const strict = labelAnomalies(counts, safe).labels;
    expect(strict.find((l) => l.count === 'lostAcked')?.label).toBe(BREAKS);
    expect(strict.find((l) => l.count === 'offsetMismatch')?.label).toBe(BREAKS);
    expect(strict.find((l) => l.count === 'undelivered')?.label).toBe(ALLOWED);
    const loose = labelAnomalies(counts, { ...safe, acks: 1 }).labels;
    expect(loose.find((l) => l.count === 'lostAcked')).toMatchObject({ label: ALLOWED, value: 7, why: expect.stringMatching(/acks=1/) });
  });

  test('duplicates: allowed without idempotence, a broken promise with it', () => {
    const counts = { ...zero, duplicates: 4, reordered: 2 };
    expect(labelAnomalies(counts, { ...safe, faults: ACK_LOSS }).labels.map((l) => l.label)).toEqual([BREAKS, BREAKS]);
    expect(labelAnomalies(counts, { ...safe, faults: ACK_LOSS, idempotent: false }).labels.map((l) => l.label)).toEqual([ALLOWED, ALLOWED]);
  });

  test('unexpected records always break a promise', () => {
    for (const inputs of grid()) expect(labelAnomalies({ ...zero, unexpected: 1 }, inputs).labels[0].label).toBe(BREAKS);
  });
});

describe('default expectations', () => {
  test('acks=all + minISR 2 + no unclean + idempotence under a kill: no loss, no duplicates, in order', () => {
    expect(defaultExpectations({ acks: 'all', idempotent: true, retries: 5, maxInFlight: 5, minInsyncReplicas: 2, uncleanLeaderElection: false, faults: KILL }))
      .toEqual({ lostAcked: 0, offsetMismatch: 0, duplicates: 0, reordered: 0, unexpected: 0 });
  });

  test('acks=1 under a kill expects only what is still promised', () => {
    expect(defaultExpectations({ acks: 1, idempotent: false, retries: 0, maxInFlight: 5, minInsyncReplicas: 2, uncleanLeaderElection: false, faults: KILL }))
      .toEqual({ duplicates: 0, reordered: 0, unexpected: 0 });
  });

  test('every configuration of the grid expects unexpected 0 and exactly the counts its promises cover', () => {
    for (const inputs of [...grid(), ...grid({ faults: ACK_LOSS })]) {
      const expectations = defaultExpectations(inputs);
      expect(expectations.unexpected).toBe(0);
      expect('lostAcked' in expectations).toBe(holds(inputs, 'no-lost-acked'));
      expect('duplicates' in expectations).toBe(holds(inputs, 'no-duplicates'));
      expect('reordered' in expectations).toBe(holds(inputs, 'in-order'));
    }
  });
});
