// The jest preset of kafka-chaos-harness: `preset: 'kafka-chaos-harness/jest-preset'` in jest.config.
// jest looks for <preset>/jest-preset.js, which is this file.
const fs = require('node:fs');
const path = require('node:path');

// The installed package runs its compiled JavaScript (dist/jest-preset/); a source checkout of the
// repository (where global-setup.ts sits beside this file) runs the TypeScript through the transform.
const fromSource = fs.existsSync(path.join(__dirname, 'global-setup.ts'));
const dir = fromSource ? __dirname : path.join(__dirname, '..', 'dist', 'jest-preset');
const ext = fromSource ? '.ts' : '.js';

module.exports = {
  testEnvironment: 'node',
  // One cluster for the whole run (or the one in KCHAOS_CLUSTER); its addresses reach the test files through the environment.
  globalSetup: path.join(dir, `global-setup${ext}`),
  globalTeardown: path.join(dir, `global-teardown${ext}`),
  // toLoseNoAcknowledgedMessages, toDeliverEverything, toHaveNoDuplicates, toKeepOrder.
  setupFilesAfterEnv: [path.join(dir, `setup-matchers${ext}`)],
  // Your own .ts files (producers, tests) are transformed with esbuild, which tsx brings along,
  // unless you map .ts to your own transformer (e.g. ts-jest); yours wins.
  transform: { '^.+\\.[cm]?tsx?$': path.join(__dirname, 'transform.js') },
  transformIgnorePatterns: ['/node_modules/(?!kafka-chaos-harness/)'],
  // Faults act on the whole shared cluster: two scenarios at once would cut each other's links.
  maxWorkers: 1,
  // A scenario takes 10-40 s.
  testTimeout: 120_000,
};
