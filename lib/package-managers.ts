/**
 * One spec per package manager: what points to it in a project, the files its
 * builder stage reads, the tool it pins, and what to call it. Its builder
 * stage is its own template, templates/dockerfile/builder-<name>.ejs.
 * Adding a manager means one entry here and one template there.
 */
import type { ProjectFiles } from './detect/project-tree.js';

export const PACKAGE_MANAGERS = ['pip', 'uv', 'poetry', 'pipenv', 'pdm'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];
/** The managers that pin a tool of their own (versions.json "tools"). */
export type LockedManager = Exclude<PackageManager, 'pip'>;

/** A parsed pyproject.toml (or undefined when the project has none). */
type Pyproject = Record<string, any> | undefined;

/** What a project's files say about a manager: where it is pointed to, or a warning. */
export type Signal = { source: string } | { warning: string } | undefined;

export interface PackageManagerSpec {
  /** As its users write it. */
  label: string;
  /** The manifest and the lock the builder reads before the source (pip: the files the project has). */
  manifest?: string;
  lock?: string;
  /** How to make a missing lock. */
  lockCommand?: string;
  /** How a user adds a dependency so that the lock follows (a lock cannot be edited by hand). */
  addCommand?: string;
  /** The build argument that changes the pinned tool's version (default from versions.json "tools"). */
  versionArg?: string;
  /** The tool's download cache: a BuildKit cache mount in the builder. */
  cacheDir: string;
  /** Where the project declares its dependencies (named when the server is missing from them). */
  declares: string;
  /** README.Docker.md: how the dependencies install. */
  installLabel: string;
  /** What in the project points to this manager; `claimed` says whether another manager already has. */
  signal(files: ProjectFiles, pyproject: Pyproject, claimed: boolean): Signal;
  /** The project is itself a package, installed after its sources (else only its dependencies). */
  installsProject(pyproject: Pyproject): boolean;
}

const hasBuildSystem = (pyproject: Pyproject) => pyproject?.['build-system'] !== undefined;

/** A lock file points to its manager only beside the manifest it locks; a stray one is named, not followed. */
function lockSignal(files: ProjectFiles, lock: string, manifest: string): Signal {
  if (!files.has(lock)) return undefined;
  if (files.has(manifest)) return { source: lock };
  return { warning: `${lock} is here without ${manifest}, which it locks: not used to choose the package manager` };
}

/** requirements files, in the order pip projects name the one to install. */
export const REQUIREMENTS_CANDIDATES = [
  'requirements.txt',
  'requirements/production.txt',
  'requirements/prod.txt',
  'requirements/base.txt',
  'requirements/main.txt',
  'requirements/common.txt',
];

/** In detection order: lock files first, pip last. */
export const PACKAGE_MANAGER_SPECS: Record<PackageManager, PackageManagerSpec> = {
  uv: {
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
  },
  poetry: {
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
  },
  pdm: {
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
  },
  pipenv: {
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
  },
  pip: {
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
  },
};

/** The locked managers' specs, for the fields only they have. */
export function lockedSpec(manager: LockedManager): Required<PackageManagerSpec> {
  return PACKAGE_MANAGER_SPECS[manager] as Required<PackageManagerSpec>;
}
