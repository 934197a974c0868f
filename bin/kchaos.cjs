#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the package works without a build step.
require('tsx/cjs');
require('../harness/cli.ts');
