import { COUNT_NAMES, Counts } from './check-types';
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

/** Every count 0 (whatever counts the checker has), 100 messages sent, acked and read. */
const zero: Counts = { ...COUNT_NAMES.reduce((all, name) => ({ ...all, [name]: 0 }), {} as Counts), attempted: 100, acked: 100, observed: 100 };

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
    const idempotenceInEffect = inputs.idempotent && inputs.acks === 'all' && inputs.maxInFlight <= 5;
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
    const refused = inputs.idempotent && inputs.maxInFlight > 5; // librdkafka does not start: nothing is promised
    const expected =
      (!refused && inputs.acks === 0) ||
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

test('with no fault in play every promise holds for a producer that does not resend, whatever the configuration', () => {
  for (const inputs of [...grid({ faults: [] }), ...grid({ faults: [], mode: 'library-only', client: 'kafkajs' })]) {
    expect(derivePromises(inputs).every((p) => p.holds)).toBe(true);
  }
});

describe('an application that resends (workaround, resilient) is never promised no duplicates, fault or not', () => {
  const modes = ['workaround', 'resilient'];
  const faultSets = [[], ACK_LOSS, KILL];

  test.each(modes)('mode %s: no-duplicates and in-order never hold, and no default expects duplicates or reordered 0', (mode) => {
    for (const faults of faultSets) {
      for (const inputs of grid({ faults, mode })) {
        expect(holds(inputs, 'no-duplicates')).toBe(false);
        expect(holds(inputs, 'in-order')).toBe(false); // a resent copy after later messages counts as reordered
        const expectations = defaultExpectations(inputs);
        expect(expectations).not.toHaveProperty('duplicates');
        expect(expectations).not.toHaveProperty('reordered');
      }
    }
  });

  test('with no fault, the same configuration is promised no duplicates in library-only mode only', () => {
    const quiet: GuaranteeInputs = { acks: 'all', idempotent: true, retries: 5, maxInFlight: 5, minInsyncReplicas: 2, uncleanLeaderElection: false, faults: [] };
    expect(defaultExpectations({ ...quiet, mode: 'library-only' })).toMatchObject({ duplicates: 0, reordered: 0, lostAcked: 0 });
    expect(defaultExpectations({ ...quiet, mode: 'workaround' })).toEqual({ lostAcked: 0, offsetMismatch: 0, unexpected: 0 });
    const labels = labelAnomalies({ ...zero, duplicates: 2 }, { ...quiet, mode: 'resilient' }).labels;
    expect(labels).toEqual([expect.objectContaining({ count: 'duplicates', value: 2, label: ALLOWED, why: expect.stringMatching(/resilient.*resends/) })]);
  });
});

describe('idempotence with more than 5 requests in flight is not credited', () => {
  const six: GuaranteeInputs = { acks: 'all', idempotent: true, retries: 5, maxInFlight: 6, minInsyncReplicas: 2, uncleanLeaderElection: false, faults: ACK_LOSS };

  test.each(['node-rdkafka', 'java'])('%s refuses the configuration: every promise is off, named as refused; 5 in flight keeps them', (client) => {
    for (const faults of [[], ACK_LOSS, KILL]) {
      const promises = derivePromises({ ...six, client, faults });
      expect(promises.map((p) => p.holds)).toEqual([false, false, false]);
      for (const p of promises) expect(p.why).toMatch(new RegExp(`configuration ${client} refuses.*max\.in\.flight=6`));
      expect(defaultExpectations({ ...six, client, faults })).toEqual({ unexpected: 0 });
    }
    expect(derivePromises({ ...six, client, maxInFlight: 5 }).map((p) => p.holds)).toEqual([true, true, true]);
  });

  test.each(['kafkajs', 'custom', undefined])('client %s (accepts it): duplicates allowed and labelled so; durability still judged', (client) => {
    const inputs = { ...six, client };
    expect(holds(inputs, 'no-duplicates')).toBe(false);
    expect(derivePromises(inputs).find((p) => p.promise === 'no-duplicates')!.why).toMatch(/at most 5 requests in flight/);
    expect(holds(inputs, 'no-lost-acked')).toBe(true);
    const labels = labelAnomalies({ ...zero, duplicates: 3, lostAcked: 1 }, inputs).labels;
    expect(labels.find((l) => l.count === 'duplicates')?.label).toBe(ALLOWED);
    expect(labels.find((l) => l.count === 'lostAcked')?.label).toBe(BREAKS);
    expect(holds({ ...inputs, maxInFlight: 5 }, 'no-duplicates')).toBe(true);
  });
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
