/**
 * What every package manager declares: one object per manager file, collected in index.ts. Nothing outside
 * lib/package-managers/ knows a manager by name: detection, the scan and rendering ask these fields.
 */
import type { LockedPackage } from '../project/locked-package.js';
import type { ProjectFiles, ProjectTree } from '../project/project-tree.js';

/** A parsed pyproject.toml (or undefined when the project has none). */
export type Pyproject = Record<string, any> | undefined;

/** What a project's files say about a manager: where it is pointed to, or a warning. */
export type Signal = { source: string } | { warning: string } | undefined;

/** A distribution a manifest declares: its name as written, the file, the extras asked for. */
export interface DeclaredEntry {
  name: string;
  source: string;
  extras: string[];
}

/** A Python version (`3.11`) or range (`^3.10`, `>=3.11`) a manager's files state. */
export interface StatedPython {
  source: string;
  raw: string;
  range: boolean;
}

/** Where a manager's settings may name the package index: the project, the environment, the user's config. */
export interface IndexContext {
  tree: ProjectTree;
  env: NodeJS.ProcessEnv;
  home: string;
  /** XDG_CONFIG_HOME, else ~/.config. */
  config: string;
  readText(path: string): string | undefined;
  readToml(path: string): Record<string, any> | undefined;
}

export interface PackageManagerSpec {
  /** The --package-manager value, and the name of its builder template (templates/dockerfile/builder-<id>.ejs). */
  id: string;
  /** As its users write it. */
  label: string;
  /** The manifest and the lock the builder reads before the source (pip: the files the project has). */
  manifest?: string;
  lock?: string;
  /** Every file that says how the dependencies install: the image build must be able to read each. */
  dependencyFiles: string[];
  /** How to make a missing lock. */
  lockCommand?: string;
  /** How a user adds a dependency so that the lock follows (a lock cannot be edited by hand). */
  addCommand?: string;
  /** The words that run a command in its environment (`poetry run`): a run command's wrapper, skipped. */
  runPrefix?: string[][];
  /**
   * The build argument that changes the pinned tool's version; the pin is versions.json "tools"[id]
   * (`toolVersion` for a plugin of one's own, outside versions.json).
   */
  versionArg?: string;
  toolVersion?: string;
  /** The tool's download cache: a BuildKit cache mount in the builder. */
  cacheDir: string;
  /** What compiles the dependencies' bytecode at install (`pip's default`), or undefined when nothing does. */
  compilesBytecode?: string;
  /** Where the project declares its dependencies (named when the server is missing from them). */
  declares: string;
  /** README.Docker.md: how the dependencies install. */
  installLabel: string;
  /** What in the project points to this manager; `claimed` says whether another manager already has. */
  signal(files: ProjectFiles, pyproject: Pyproject, claimed: boolean): Signal;
  /** A manifest waiting for its lock (a Pipfile): when nothing else points anywhere, this manager, told to lock. */
  unlocked?(files: ProjectFiles): string | undefined;
  /** The project is itself a package, installed after its sources (else only its dependencies). */
  installsProject(pyproject: Pyproject): boolean;
  /** Distributions its manifest declares outside [project].dependencies (dev groups excluded). */
  declared?(tree: ProjectTree): DeclaredEntry[];
  /** The Python its files state, most specific first. */
  python?(tree: ProjectTree): StatedPython[];
  /** The lock's runtime packages with their files (wheels, sdists), from the parsed lock. */
  lockedPackages?(lock: Record<string, any>): LockedPackage[];
  /** The index its settings name, each with where it was found, in its own precedence (pinned requirements are
   * looked up there). */
  indexUrls?(context: IndexContext): [string | undefined, string][];
  /** Folders holding packages that its pyproject.toml table names (the caller keeps those that exist). */
  sourceFolders?(pyproject: Pyproject): (string | undefined)[];
}
