/** Pipenv: its signals, files, declared packages, Python and pinned tool; its builder stage is
 * templates/dockerfile/builder-pipenv.ejs. */
import type { PackageManagerSpec } from './plugin.js';
import { lockSignal } from './signals.js';

export const pipenv: PackageManagerSpec = {
  id: 'pipenv',
  label: 'Pipenv',
  manifest: 'Pipfile',
  lock: 'Pipfile.lock',
  dependencyFiles: ['Pipfile', 'Pipfile.lock'],
  lockCommand: 'pipenv lock',
  addCommand: 'pipenv install',
  runPrefix: [['pipenv', 'run']],
  // Not PIPENV_VERSION: build args are environment variables in RUN steps, and Pipenv reads that one as --version.
  versionArg: 'PIPENV_RELEASE',
  cacheDir: '/root/.cache',
  compilesBytecode: "pip's default",
  declares: 'Pipfile',
  installLabel: 'dependencies locked by Pipenv',
  signal: (files) => {
    if (files.has('Pipfile.lock')) return lockSignal(files, 'Pipfile.lock', 'Pipfile');
    if (files.has('Pipfile'))
      return { warning: 'Pipfile has no Pipfile.lock: run `pipenv lock` so the image installs locked versions' };
    return undefined;
  },
  // A Pipfile not locked yet: Pipenv's, and the run will say to lock it.
  unlocked: (files) => (files.has('Pipfile') ? 'Pipfile' : undefined),
  installsProject: () => false,
  declared: (tree) =>
    Object.entries(tree.toml('Pipfile')?.packages ?? {}).map(([name, spec]) => ({
      name,
      source: 'Pipfile',
      extras: (spec as { extras?: string[] })?.extras ?? [],
    })),
  python: (tree) => {
    const requires = tree.toml('Pipfile')?.requires;
    const version = requires?.python_version ?? requires?.python_full_version;
    return version === undefined ? [] : [{ source: 'Pipfile', raw: String(version), range: false }];
  },
};
