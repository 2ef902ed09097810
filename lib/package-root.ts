import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package folder (holding templates/), from either lib/ or dist/lib/. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'templates'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('generator-python-docker: cannot find its templates/ folder');
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot();
export const templatesDir = join(packageRoot, 'templates');
