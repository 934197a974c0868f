// The jest preset of kafka-chaos-harness: `preset: 'kafka-chaos-harness/jest-preset'` in jest.config.
// jest looks for <preset>/jest-preset.js, which is this file.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  // One cluster for the whole run (or the one in KCHAOS_CLUSTER); its addresses reach the test files through the environment.
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  globalTeardown: path.join(__dirname, 'global-teardown.ts'),
  // toLoseNoAcknowledgedMessages, toDeliverEverything, toHaveNoDuplicates, toKeepOrder.
  setupFilesAfterEnv: [path.join(__dirname, 'setup-matchers.ts')],
  // The package ships TypeScript: transform it (and your own .ts files, unless you map .ts to your
  // own transformer, e.g. ts-jest) with esbuild, which tsx brings along.
  transform: { '^.+\\.[cm]?tsx?$': path.join(__dirname, 'transform.js') },
  transformIgnorePatterns: ['/node_modules/(?!kafka-chaos-harness/)'],
  // Faults act on the whole shared cluster: two scenarios at once would cut each other's links.
  maxWorkers: 1,
  // A scenario takes 10-40 s.
  testTimeout: 120_000,
};
