import { BrokerHealth } from './broker-health';
import { PartitionRouter, TopicLeaders } from './partition-router';

// Three partitions, partition p led by broker p + 1 (k1 leads partition 0), as in the harness.
const topic: TopicLeaders = { partitions: 3, leaderOf: (p) => p + 1 };

function setUp(policy: 'hold' | 'reroute', stickyMs = 0) {
  let now = 0;
  const health = new BrokerHealth({ cooldownMs: 1000, maxCooldownMs: 4000, suspectAfterMs: 500 }, () => now);
  for (const broker of [1, 2, 3]) health.succeeded(health.begin(broker, true));
  const router = new PartitionRouter(policy, health, stickyMs, () => now);
  const down = (broker: number) => health.failed(health.begin(broker, false));
  const sendTo = (target: number | null) => {
    const route = router.route(target, topic);
    if (route.kind === 'send') health.begin(route.broker, route.probe); // as the producer does
    return route;
  };
  return { health, router, down, sendTo, advance: (ms: number) => (now += ms) };
}

describe('unkeyed messages', () => {
  test('go round-robin over every partition while all leaders are healthy', () => {
    const { router } = setUp('hold');
    expect([1, 2, 3, 4, 5, 6].map(() => (router.route(null, topic) as { partition: number }).partition)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  test('skip partitions whose leader is unhealthy', () => {
    const { router, down } = setUp('hold');
    down(1);
    const partitions = Array.from({ length: 6 }, () => (router.route(null, topic) as { partition: number }).partition);
    expect(partitions).not.toContain(0);
    expect(new Set(partitions)).toEqual(new Set([1, 2]));
  });

  test('once the cooldown ends, the next unkeyed message probes the leader; the rest avoid it meanwhile', () => {
    const { sendTo, down, advance } = setUp('hold');
    down(1);
    advance(1000);
    expect(sendTo(null)).toMatchObject({ kind: 'send', partition: 0, broker: 1, probe: true });
    const rest = Array.from({ length: 4 }, () => sendTo(null));
    expect(rest.every((r) => r.kind === 'send' && !r.probe && r.partition !== 0)).toBe(true);
  });

  test('wait when no leader is usable (all unhealthy and cooling down)', () => {
    const { router, down } = setUp('hold');
    [1, 2, 3].forEach(down);
    expect(router.route(null, topic)).toEqual({ kind: 'wait' });
  });

  test('at start every broker is unknown: one probe each, then wait for the first verdict', () => {
    const health = new BrokerHealth({ cooldownMs: 1000, maxCooldownMs: 4000, suspectAfterMs: 500 }, () => 0);
    const router = new PartitionRouter('reroute', health);
    const routes = Array.from({ length: 4 }, () => {
      const route = router.route(null, topic);
      if (route.kind === 'send') health.begin(route.broker, route.probe);
      return route;
    });
    expect(routes.slice(0, 3).map((r) => r.kind === 'send' && r.probe)).toEqual([true, true, true]);
    expect(routes[3]).toEqual({ kind: 'wait' });
  });
});

describe("keyed messages, policy 'hold'", () => {
  test('go to their own partition while its leader is healthy', () => {
    const { router } = setUp('hold');
    expect(router.route(0, topic)).toEqual({ kind: 'send', partition: 0, broker: 1, probe: false, rerouted: false });
  });

  test('are held for their partition while its leader is unhealthy (key affinity kept)', () => {
    const { router, down } = setUp('hold');
    down(1);
    expect(router.route(0, topic)).toEqual({ kind: 'hold', partition: 0 });
    expect(router.route(1, topic)).toMatchObject({ kind: 'send', partition: 1 });
  });

  test('after the cooldown one of them probes; the others keep waiting for its verdict', () => {
    const { sendTo, down, advance } = setUp('hold');
    down(1);
    advance(1000);
    expect(sendTo(0)).toMatchObject({ kind: 'send', partition: 0, probe: true });
    expect(sendTo(0)).toEqual({ kind: 'hold', partition: 0 });
  });
});

describe("keyed messages, policy 'reroute'", () => {
  test('move to a healthy partition while their leader is unhealthy (key affinity given up)', () => {
    const { router, down } = setUp('reroute');
    down(1);
    const route = router.route(0, topic);
    expect(route).toMatchObject({ kind: 'send', rerouted: true });
    expect((route as { partition: number }).partition).not.toBe(0);
  });

  test('stay on their partition when it is healthy', () => {
    const { router } = setUp('reroute');
    expect(router.route(2, topic)).toMatchObject({ kind: 'send', partition: 2, rerouted: false });
  });

  test('wait when no partition is usable', () => {
    const { router, down } = setUp('reroute');
    [1, 2, 3].forEach(down);
    expect(router.route(0, topic)).toEqual({ kind: 'wait' });
  });

  test('a policy override keeps a backlog entry held for its partition', () => {
    const { router, down } = setUp('reroute');
    down(1);
    expect(router.route(0, topic, 'hold')).toEqual({ kind: 'hold', partition: 0 });
  });
});

test('a partition without a leader (-1) is never used', () => {
  const { router } = setUp('reroute');
  const leaderless: TopicLeaders = { partitions: 3, leaderOf: (p) => (p === 1 ? -1 : p + 1) };
  const partitions = Array.from({ length: 6 }, () => (router.route(null, leaderless) as { partition: number }).partition);
  expect(partitions).not.toContain(1);
  expect(router.route(1, leaderless)).toMatchObject({ kind: 'send', rerouted: true });
});

describe('stickiness', () => {
  test('unkeyed messages stay on one partition for stickyMs, then move on', () => {
    const { router, advance } = setUp('reroute', 10);
    const partition = () => (router.route(null, topic) as { partition: number }).partition;
    expect([partition(), partition(), partition()]).toEqual([0, 0, 0]);
    advance(10);
    expect([partition(), partition()]).toEqual([1, 1]);
  });

  test('leave the sticky partition at once when its leader turns unhealthy', () => {
    const { router, down } = setUp('reroute', 1000);
    expect(router.route(null, topic)).toMatchObject({ partition: 0 });
    down(1);
    expect(router.route(null, topic)).toMatchObject({ partition: 1 });
  });
});
