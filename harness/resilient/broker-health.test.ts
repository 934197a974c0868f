import { BrokerHealth } from './broker-health';

const settings = { cooldownMs: 1000, maxCooldownMs: 3000, suspectAfterMs: 500 };

function tracker() {
  let now = 0;
  const health = new BrokerHealth(settings, () => now);
  return { health, advance: (ms: number) => (now += ms) };
}

test('a broker starts unknown: one probe at a time, its ack makes it healthy', () => {
  const { health } = tracker();
  expect(health.status(1)).toBe('unknown');
  expect(health.canProbe(1)).toBe(true);
  const probe = health.begin(1, true);
  expect(health.canProbe(1)).toBe(false); // the one probe is out
  expect(health.isHealthy(1)).toBe(false);
  health.succeeded(probe);
  expect(health.status(1)).toBe('healthy');
  expect(health.canProbe(1)).toBe(false); // healthy brokers are simply used
});

test('a failed send marks the leader unhealthy for the cooldown, then lets one probe through', () => {
  const { health, advance } = tracker();
  health.succeeded(health.begin(1, true));
  expect(health.failed(health.begin(1, false))).toBe(true);
  expect(health.status(1)).toBe('unhealthy');
  expect(health.canProbe(1)).toBe(false);
  expect(health.probeInMs(1)).toBe(1000);
  advance(999);
  expect(health.canProbe(1)).toBe(false);
  advance(1);
  expect(health.canProbe(1)).toBe(true);
});

test('failed probes double the cooldown up to maxCooldownMs; a successful one heals', () => {
  const { health, advance } = tracker();
  health.failed(health.begin(1, true)); // unknown → unhealthy, 1000
  const cooldowns: number[] = [];
  for (let i = 0; i < 4; i++) {
    cooldowns.push(health.probeInMs(1));
    advance(health.probeInMs(1));
    health.failed(health.begin(1, true));
  }
  expect(cooldowns).toEqual([1000, 2000, 3000, 3000]);
  advance(3000);
  health.succeeded(health.begin(1, true));
  expect(health.isHealthy(1)).toBe(true);
  health.failed(health.begin(1, false));
  expect(health.probeInMs(1)).toBe(1000); // the count started again
});

test('older sends failing while the broker is already unhealthy do not push the probe back', () => {
  const { health, advance } = tracker();
  health.succeeded(health.begin(1, true));
  const a = health.begin(1, false);
  const b = health.begin(1, false);
  health.failed(a);
  advance(600);
  expect(health.failed(b)).toBe(false);
  expect(health.probeInMs(1)).toBe(400);
});

test('any ack heals: a healed blackhole delivering held requests is noticed at once', () => {
  const { health } = tracker();
  health.succeeded(health.begin(1, true));
  const stuck = health.begin(1, false);
  health.failed(health.begin(1, false));
  health.succeeded(stuck);
  expect(health.isHealthy(1)).toBe(true);
});

test('suspicion: a send outstanding for suspectAfterMs with no ack meanwhile marks the broker, before its own timeout', () => {
  const { health, advance } = tracker();
  health.succeeded(health.begin(1, true));
  health.succeeded(health.begin(2, true));
  health.begin(1, false); // never answers
  const slow = health.begin(2, false);
  advance(300);
  health.succeeded(health.begin(2, false)); // broker 2 is slow for one send but still acks others
  advance(300);
  expect(health.sweep()).toEqual([1]);
  expect(health.status(1)).toBe('unhealthy');
  expect(health.isHealthy(2)).toBe(true);
  health.succeeded(slow);
  expect(health.sweep()).toEqual([]);
});

test('an unknown broker whose probe gets no answer for suspectAfterMs is unhealthy; the probe slot stays taken until it answers', () => {
  const { health, advance } = tracker();
  const probe = health.begin(1, true);
  advance(500);
  expect(health.sweep()).toEqual([1]);
  expect(health.status(1)).toBe('unhealthy');
  advance(1000);
  expect(health.canProbe(1)).toBe(false); // the first probe is still out
  health.failed(probe);
  expect(health.probeInMs(1)).toBe(1000);
});

test('abandoned sends (not the broker\'s fault) free the probe slot and change nothing else', () => {
  const { health } = tracker();
  const probe = health.begin(3, true);
  health.abandoned(probe);
  expect(health.status(3)).toBe('unknown');
  expect(health.canProbe(3)).toBe(true);
});

test('capCooldown (close draining) brings running cooldowns forward', () => {
  const { health } = tracker();
  health.failed(health.begin(1, true));
  health.capCooldown(200);
  expect(health.probeInMs(1)).toBe(200);
  expect(health.snapshot()[1]).toMatchObject({ status: 'unhealthy', probing: false, probeInMs: 200, outstanding: 0 });
});
