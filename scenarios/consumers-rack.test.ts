import rows, { CONSUMER_RACK, rackPins, rackScenario } from './consumers-rack.scenario';
import { defineScenario } from './define-scenario';

test('each rack row is a valid consumer scenario: consumer in rack r2 (the client\'s own setting), k1 cut, coordinator elsewhere', () => {
  expect(rows).toHaveLength(4 * 2);
  for (const input of rows) {
    const s = defineScenario(input);
    expect(Object.values(s.consumer!.settings.raw)).toEqual([CONSUMER_RACK]);
    expect(s.faults).toEqual([expect.objectContaining({ kind: 'blackhole', target: 'k1', healAtMs: 15_000 })]);
    expect(s.consumer!.coordinatorAwayFrom).toBe('k1');
  }
  expect(rackScenario('kafkajs', 'from-start').consumer!.settings!.raw).toEqual({ rackId: 'r2' });
});

test('pins: the cut from the start holds partition 0 with racks as without (measured for kafkajs and node-rdkafka); mid-stream unpinned', () => {
  expect(rackPins('kafkajs', 'from-start')).toEqual({ heldByLinkFault: 3 });
  expect(rackPins('node-rdkafka', 'from-start')).toEqual({ heldByLinkFault: 1 });
  expect(rackPins('node-rdkafka', 'mid-stream')).toEqual({});
  expect(rackPins('confluent', 'from-start')).toEqual({});
});
