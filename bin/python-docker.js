#!/usr/bin/env node
// The standalone command; the code is bundled into dist/python-docker.js from lib/cli.ts (scripts/bundle.js).
// The Node.js check comes before any import: on an older Node a dependency would fail with a stack trace.
const MINIMUM = [20, 19];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
  process.stderr.write(
    `python-docker: Node.js ${process.versions.node} is too old; it needs ${MINIMUM.join('.')} or newer (https://nodejs.org)\n`,
  );
  process.exit(1);
}
// Node 22.1+ keeps the compiled bundle between runs (no effect, and no such function, on Node 20).
(await import('node:module')).enableCompileCache?.();
const { main } = await import('../dist/python-docker.js');
await main();
