/** Pipenv: its signals, files and pinned tool; its builder stage is templates/dockerfile/builder-pipenv.ejs. */
import type { PackageManagerSpec } from './plugin.js';
import { lockSignal } from './signals.js';

export const pipenv: PackageManagerSpec = {
  label: 'Pipenv',
  manifest: 'Pipfile',
  lock: 'Pipfile.lock',
  lockCommand: 'pipenv lock',
  addCommand: 'pipenv install',
  // Not PIPENV_VERSION: build args are environment variables in RUN steps, and Pipenv reads that one as --version.
  versionArg: 'PIPENV_RELEASE',
  cacheDir: '/root/.cache',
  declares: 'Pipfile',
  installLabel: 'dependencies locked by Pipenv',
  signal: (files) => {
    if (files.has('Pipfile.lock')) return lockSignal(files, 'Pipfile.lock', 'Pipfile');
    if (files.has('Pipfile'))
      return { warning: 'Pipfile has no Pipfile.lock: run `pipenv lock` so the image installs locked versions' };
    return undefined;
  },
  installsProject: () => false,
};
