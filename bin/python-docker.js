#!/usr/bin/env node
// The standalone command; the code is bundled into dist/python-docker.cjs from lib/cli.ts (scripts/bundle.js).
// CommonJS (bin/package.json): Node's ES module loader would cost every run a few milliseconds more.
// The Node.js check comes before any require: on an older Node a dependency would fail with a stack trace.
const MINIMUM = [20, 19];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
  process.stderr.write(
    `python-docker: Node.js ${process.versions.node} is too old; it needs ${MINIMUM.join('.')} or newer (https://nodejs.org)\n`,
  );
  process.exit(1);
}
// Node 22.1+ keeps the compiled bundle between runs itself; on older Node, bin/code-cache.js does.
const { enableCompileCache } = require('node:module');
if (enableCompileCache) {
  enableCompileCache();
  require('../dist/python-docker.cjs').main();
} else {
  require('./code-cache.js')
    .requireCached(require('node:path').join(__dirname, '..', 'dist', 'python-docker.cjs'))
    .main();
}
