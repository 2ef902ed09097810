/**
 * The package managers a project can install with, and the files each one
 * needs in the build (manifest and lock), as the templates bind-mount them.
 */
export const PACKAGE_MANAGERS = ['pip', 'uv', 'poetry', 'pipenv', 'pdm'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** For the lock-file managers: the manifest, the lock, and how to make a missing lock. */
export const LOCKED_MANAGERS: Record<Exclude<PackageManager, 'pip'>, { manifest: string; lock: string; lockCommand: string }> = {
  uv: { manifest: 'pyproject.toml', lock: 'uv.lock', lockCommand: 'uv lock' },
  poetry: { manifest: 'pyproject.toml', lock: 'poetry.lock', lockCommand: 'poetry lock' },
  pipenv: { manifest: 'Pipfile', lock: 'Pipfile.lock', lockCommand: 'pipenv lock' },
  pdm: { manifest: 'pyproject.toml', lock: 'pdm.lock', lockCommand: 'pdm lock' },
};
