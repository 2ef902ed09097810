/** Poetry: its signals, files and pinned tool; its builder stage is templates/dockerfile/builder-poetry.ejs. */
import type { PackageManagerSpec } from './plugin.js';
import { lockSignal } from './signals.js';

export const poetry: PackageManagerSpec = {
  label: 'Poetry',
  manifest: 'pyproject.toml',
  lock: 'poetry.lock',
  lockCommand: 'poetry lock',
  addCommand: 'poetry add',
  versionArg: 'POETRY_VERSION',
  cacheDir: '/root/.cache/pypoetry',
  declares: 'pyproject.toml',
  installLabel: 'dependencies locked by Poetry',
  signal: (files, pyproject) => {
    if (files.has('poetry.lock')) return lockSignal(files, 'poetry.lock', 'pyproject.toml');
    if (pyproject?.tool?.poetry) return { source: 'pyproject.toml [tool.poetry]' };
    if (String(pyproject?.['build-system']?.['build-backend'] ?? '').startsWith('poetry.core'))
      return { source: 'pyproject.toml build-backend' };
    return undefined;
  },
  // package-mode = false: only the dependencies, no root package.
  installsProject: (pyproject) => pyproject?.tool?.poetry?.['package-mode'] !== false,
};
