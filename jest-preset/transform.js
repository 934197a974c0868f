// A jest transformer for TypeScript using esbuild (a dependency of tsx, which the package depends on):
// type annotations are stripped, nothing is type-checked, ES modules become CommonJS.
const path = require('node:path');
const crypto = require('node:crypto');

function loadEsbuild() {
  try {
    return require('esbuild');
  } catch {
    // Not hoisted next to us: take the one tsx uses.
    const tsxDir = path.dirname(require.resolve('tsx/package.json'));
    return require(require.resolve('esbuild', { paths: [tsxDir] }));
  }
}

const esbuild = loadEsbuild();
const TARGET = `node${process.versions.node.split('.')[0]}`;

module.exports = {
  process(sourceText, sourcePath) {
    const loader = /\.[cm]?tsx$/.test(sourcePath) ? 'tsx' : 'ts';
    const { code, map } = esbuild.transformSync(sourceText, {
      loader,
      format: 'cjs',
      target: TARGET,
      sourcefile: sourcePath,
      sourcemap: 'external',
      sourcesContent: false,
    });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath) {
    return crypto.createHash('sha256').update(esbuild.version).update('\0').update(TARGET).update('\0').update(sourcePath).update('\0').update(sourceText).digest('hex');
  },
};
