/** uv: its signals, files and pinned tool; its builder stage is templates/dockerfile/builder-uv.ejs. */
import type { PackageManagerSpec } from './plugin.js';
import { lockSignal, hasBuildSystem } from './signals.js';

export const uv: PackageManagerSpec = {
  label: 'uv',
  manifest: 'pyproject.toml',
  lock: 'uv.lock',
  lockCommand: 'uv lock',
  addCommand: 'uv add',
  versionArg: 'UV_VERSION',
  cacheDir: '/root/.cache/uv',
  declares: 'pyproject.toml',
  installLabel: 'dependencies locked by uv',
  signal: (files) => lockSignal(files, 'uv.lock', 'pyproject.toml'),
  installsProject: hasBuildSystem,
};
