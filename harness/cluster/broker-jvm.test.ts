import { brokerJvmArgs, brokerJvmOptsFromEnv } from './broker-jvm';

const base = { kafka: { classpath: '/cache/libs/*', logging: 'log4j2' as const }, heapMb: 512, properties: '/run/k1/server.properties', logConfig: '/run/k1/log4j2.properties', logsDir: '/run' };

describe('broker JVM arguments', () => {
  test('map the class archive when there is one, and end with the main class and its properties', () => {
    const args = brokerJvmArgs({ ...base, classArchive: '/cache/a.jsa', extraFlags: [] });
    expect(args).toContain('-XX:SharedArchiveFile=/cache/a.jsa');
    expect(args).not.toContain('-XX:ArchiveClassesAtExit=/cache/a.jsa');
    expect(args.slice(-4)).toEqual(['-cp', '/cache/libs/*', 'kafka.Kafka', '/run/k1/server.properties']);
    expect(brokerJvmArgs({ ...base, extraFlags: [] }).some((a) => a.includes('Archive'))).toBe(false);
  });

  test('extra flags from KCHAOS_BROKER_JVM_OPTS come after the harness flags, so they win', () => {
    expect(brokerJvmOptsFromEnv({ KCHAOS_BROKER_JVM_OPTS: '  -XX:TieredStopAtLevel=1   -Xss1m ' })).toEqual(['-XX:TieredStopAtLevel=1', '-Xss1m']);
    expect(brokerJvmOptsFromEnv({})).toEqual([]);
    const args = brokerJvmArgs({ ...base, extraFlags: ['-Xss1m'] });
    expect(args.indexOf('-Xss1m')).toBeGreaterThan(args.indexOf('-Xss512k'));
  });
});
