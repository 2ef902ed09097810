#!/usr/bin/env node
// The standalone command; the code lives in dist/lib/cli.js (built from lib/cli.ts).
// The Node.js check comes before any import: on an older Node a dependency would fail with a stack trace.
const MINIMUM = [20, 19];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
  process.stderr.write(`python-docker: Node.js ${process.versions.node} is too old; it needs ${MINIMUM.join('.')} or newer (https://nodejs.org)\n`);
  process.exit(1);
}
const { main } = await import('../dist/lib/cli.js');
await main();
