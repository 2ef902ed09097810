/** What every package manager declares: one object per manager file, collected in index.ts. */
import type { ProjectFiles } from '../project/project-tree.js';

/** A parsed pyproject.toml (or undefined when the project has none). */
export type Pyproject = Record<string, any> | undefined;

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
