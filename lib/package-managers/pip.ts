/** pip: its signals and files; its builder stage (compilers only) is templates/dockerfile/builder-pip.ejs. */
import type { PackageManagerSpec } from './plugin.js';
import { REQUIREMENTS_CANDIDATES } from '../project/requirements.js';

export const pip: PackageManagerSpec = {
  id: 'pip',
  label: 'pip',
  dependencyFiles: [...REQUIREMENTS_CANDIDATES, 'pyproject.toml'],
  cacheDir: '/root/.cache/pip',
  compilesBytecode: "pip's default",
  declares: 'requirements.txt',
  installLabel: 'dependencies installed by pip',
  signal: (files, pyproject, claimed) => {
    const requirements = REQUIREMENTS_CANDIDATES.find((p) => files.has(p));
    if (requirements) return { source: requirements };
    if (pyproject && !claimed) return { source: 'pyproject.toml (no lock file: pip install .)' };
    return undefined;
  },
  installsProject: () => false,
};
