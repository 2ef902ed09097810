/** pip: its signals, files and pinned tool; its builder stage is templates/dockerfile/builder-pip.ejs. */
import type { PackageManagerSpec } from './plugin.js';
import { REQUIREMENTS_CANDIDATES } from '../project/requirements.js';

export const pip: PackageManagerSpec = {
  label: 'pip',
  cacheDir: '/root/.cache/pip',
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
