/** Fixture projects copied to a temporary folder, with the files git cannot keep added at test time. */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './dockerfile.js';
import { makeProject } from './project.js';

export const FIXTURES = join(repoRoot, 'test', 'fixtures');

/**
 * Files a fixture needs that its own .gitignore would keep out of the repository: written
 * at test time, so the fixture is the same in a fresh clone as on the machine that made it.
 */
const AT_TEST_TIME: Record<string, Record<string, string>> = {
  'detect/gitignored-folder': {
    // Sorts before service/: found first if the .gitignore were not honoured.
    'scratch/main.py': 'from fastapi import FastAPI\n\nwrong = FastAPI()\n',
    'debug.log': 'noise\n',
  },
};

/** A copy of test/fixtures/<set>/<name> in a temporary folder, plus `extra` files. */
export function fixtureCopy(set: string, name: string, extra: Record<string, string> = {}): string {
  const dir = join(makeProject({}, `${set}-${name.replace(/\W+/g, '-')}-`), name.split('/').at(-1)!);
  cpSync(join(FIXTURES, set, name), dir, { recursive: true });
  for (const [path, text] of Object.entries({ ...AT_TEST_TIME[`${set}/${name}`], ...extra })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
