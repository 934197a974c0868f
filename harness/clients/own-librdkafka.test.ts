import { assertOwnLibrdkafka, bundledLibrdkafka, librdkafkaMismatch } from './own-librdkafka';

describe('own librdkafka guard', () => {
  it('passes a client on the librdkafka its package was built with', () => {
    expect(librdkafkaMismatch('confluent', '2.15.1', '2.15.1')).toBeUndefined();
    expect(() => assertOwnLibrdkafka('confluent', '2.15.1', '2.15.1')).not.toThrow();
  });

  it('says nothing when either version is unknown (a stand-in module, a package without the field)', () => {
    expect(librdkafkaMismatch('confluent', undefined, '2.15.1')).toBeUndefined();
    expect(librdkafkaMismatch('confluent', '2.12.0', undefined)).toBeUndefined();
  });

  it("refuses a client running on another client's librdkafka, naming both versions and the fix", () => {
    expect(() => assertOwnLibrdkafka('confluent', '2.12.0', '2.15.1')).toThrow(
      /client "confluent" is running on librdkafka 2\.12\.0, not the 2\.15\.1 its package was built with[\s\S]*fix: run `npx kchaos setup`/,
    );
  });

  it("reads the librdkafka a package declares it bundles, and says nothing for a package that is not there", () => {
    expect(bundledLibrdkafka('node-rdkafka')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(bundledLibrdkafka('kchaos-no-such-package')).toBeUndefined();
    expect(bundledLibrdkafka('pkg', () => ({ librdkafka: '9.9.9' }))).toBe('9.9.9');
  });
});
