import type { Config } from 'jest';

// Unit tests sit beside their source (*.test.ts); integration tests talk to one real cluster that
// the integration project's global setup starts once for the whole run (test/*.int.test.ts).
const transform = { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] as [string, object] };

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/{harness,reports,scenarios,bench}/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      testTimeout: 120_000,
    },
  ],
};

export default config;
