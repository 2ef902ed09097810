#!/usr/bin/env node
// Puts the tally Dockerfile linter at .tools/tally/bin/tally for the lint tests.
// tally is AGPL and Linux-only: a development tool fetched from the npm registry
// here, never a dependency of the published package.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE = '@wharflab/tally-linux-x64@0.45.0';
const root = new URL('..', import.meta.url).pathname;
const dir = join(root, '.tools', 'tally');
const bin = join(dir, 'bin', 'tally');

if (existsSync(bin)) process.exit(0);
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`tally: no build for ${process.platform}-${process.arch}; the Dockerfile lint test will skip`);
  process.exit(0);
}
mkdirSync(join(root, '.tools'), { recursive: true });
const tmp = join(root, '.tools', 'pack');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp);
execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', tmp], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
execFileSync('tar', ['-xzf', join(tmp, tarball), '-C', dir, '--strip-components=1']);
rmSync(tmp, { recursive: true, force: true });
console.log(`tally: installed ${PACKAGE} at .tools/tally/bin/tally`);
