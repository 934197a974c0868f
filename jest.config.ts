import type { Config } from 'jest';

// Unit tests sit beside their source (*.test.ts); integration tests talk to one real cluster that
// the integration project's global setup starts once for the whole run (test/*.int.test.ts).
const transform = { '^.+\\.ts$': 'ts-jest' };

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/{harness,reports,scenarios,bench,jest-preset}/**/*.test.ts', '<rootDir>/test/**/*.unit.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      // examples/: a team's producers and tests as they would write them with the jest preset.
      testMatch: ['<rootDir>/test/**/*.int.test.ts', '<rootDir>/examples/**/*.int.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/jest-preset/setup-matchers.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      testTimeout: 120_000,
    },
  ],
};

export default config;
