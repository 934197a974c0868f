#!/usr/bin/env node
// The kchaos command. The installed package runs its compiled JavaScript (dist/), loading tsx only
// if a TypeScript scenario or producer file is given. A source checkout of the repository (where
// harness/cli.ts exists) runs the sources through tsx, in this process, so edits need no build.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'harness', 'cli.ts');
if (fs.existsSync(source)) {
  require('tsx/cjs');
  require(source);
} else {
  require('../dist/harness/cli.js');
}
