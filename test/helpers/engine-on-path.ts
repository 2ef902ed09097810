/**
 * An interactive run asks "Build and test the image with docker now?" only where an engine answers, so a
 * test of the questions asked chooses the machine it runs on: a stub `docker` first on PATH that answers
 * `docker version`, or a PATH with no engine at all. (Without this, the questions depended on whether the
 * machine running the tests had Docker up.)
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STUB_DOCKER = `#!/bin/sh
if [ "$1" = version ]; then echo 26.1.5; exit 0; fi
echo "stub docker (test/helpers/engine-on-path.ts) does not run: $*" >&2
exit 1
`;

/** Runs the generator in this process with only this engine reachable through PATH. */
export async function withEngine<T>(engine: 'docker' | 'none', run: () => Promise<T>): Promise<T> {
  const bin = mkdtempSync(join(tmpdir(), 'engine-on-path-'));
  const saved = process.env.PATH;
  if (engine === 'docker') {
    writeFileSync(join(bin, 'docker'), STUB_DOCKER);
    chmodSync(join(bin, 'docker'), 0o755);
  }
  process.env.PATH = engine === 'docker' ? `${bin}:${saved ?? ''}` : bin;
  try {
    return await run();
  } finally {
    process.env.PATH = saved;
  }
}
