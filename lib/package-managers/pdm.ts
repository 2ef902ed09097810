/** PDM: its signals, files and pinned tool; its builder stage is templates/dockerfile/builder-pdm.ejs. */
import type { PackageManagerSpec } from './plugin.js';
import { lockSignal, hasBuildSystem } from './signals.js';

export const pdm: PackageManagerSpec = {
  label: 'PDM',
  manifest: 'pyproject.toml',
  lock: 'pdm.lock',
  lockCommand: 'pdm lock',
  addCommand: 'pdm add',
  versionArg: 'PDM_VERSION',
  cacheDir: '/root/.cache/pdm',
  declares: 'pyproject.toml',
  installLabel: 'dependencies locked by PDM',
  signal: (files) => lockSignal(files, 'pdm.lock', 'pyproject.toml'),
  installsProject: hasBuildSystem,
};
