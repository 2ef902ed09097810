/**
 * What the project on disk has that rendering depends on: how its dependencies
 * install (package manager and the files it reads), which of them compile C
 * code, where its modules live, and what it declares (to warn about a missing server).
 */
import { basename, join, resolve } from 'node:path';
import type { Answers } from './answers.js';
import { declaredDependencies, type Declared } from './project/dependencies.js';
import { sourceRoot } from './project/modules.js';
import type { ProjectTree } from './project/project-tree.js';
import { REQUIREMENTS_CANDIDATES, lockedSpec, packageManagerSpecs } from './package-managers/index.js';
import { releaseSteps, type ReleaseSteps } from './release-steps.js';
import type { ProjectFacts } from './render.js';
import { includePath, walkRequirements, type RequirementsFile } from './project/requirements.js';
import { isRegularFile, nonRegularKind } from './safe-files.js';
import { hasControl, shown } from './terminal-text.js';
import { serverOptions } from './project/server-options.js';
import { frameworkPlugin } from './frameworks/index.js';
import { fieldError, UserError } from './user-error.js';
import { buildDependencies, debianCodename } from './versions.js';
import { newestWithWheels } from './project/python-version.js';
import { fitFor, lockedPackages, lockedWheels, type LockedPackage, type LockedSet } from './project/wheels.js';

export interface ProjectScan {
  facts: ProjectFacts;
  /** Distributions the project declares (undefined: none yet; the stub will). */
  packages?: Map<string, Declared>;
  warnings: string[];
}

/**
 * Paths from the project that reach generated files (a `--mount=…,source=` option, a
 * compose.yaml value, an ENV, a .dockerignore line): no comma, equals sign, quote, space,
 * colon, newline or YAML indicator.
 */
export const SAFE_PATH = /^[A-Za-z0-9_][A-Za-z0-9._+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._+-]*)*$/;
const UNSAFE_NAME =
  'a name the generated files cannot carry safely (--mount options, compose.yaml); ' +
  'rename it using letters, digits and . _ - + /';

/** requirements.txt and every file it includes with -r/-c: the install step must see them all. */
function requirementsClosure(files: ProjectTree, main: string, warnings: string[]): string[] {
  const missing = (path: string, from: string | undefined) => {
    const unread = files.whyUnread(path);
    if (unread) {
      const what = from ? `${from}: includes ${path}, which` : path;
      throw new UserError(`${what} is ${unread}; shrink it or move it away`);
    }
    const includer = from ?? main;
    const other = nonRegularKind(join(files.root, path));
    if (other)
      throw new UserError(
        `${includer}: includes ${path}, which is ${other}, not a regular file; replace it with the file itself`,
      );
    const link = files.linkOnPath(path);
    if (link) {
      throw new UserError(
        `${includer}: includes ${shown(path)}, but ${shown(link)}/ is a symbolic link, ` +
          'which the generator does not follow (the build context would hold the link); ' +
          'replace it with the folder itself',
      );
    }
    throw new UserError(
      `${includer}: includes ${shown(path)}, which does not exist; fix the -r/-c line or create the file`,
    );
  };
  const next = (path: string, parsed: RequirementsFile) => {
    const targets: string[] = [];
    for (const include of parsed.includes) {
      const target = includePath(path, include);
      if (target === undefined)
        warnings.push(`${path} includes ${include}, outside the project: the image build cannot see it`);
      else if (!SAFE_PATH.test(target)) throw new UserError(`${path}: includes "${shown(include)}", ${UNSAFE_NAME}`);
      else targets.push(target);
    }
    for (const local of parsed.localPaths) {
      warnings.push(
        `${path} installs the local path ${local}, which the dependency step cannot see before the source is copied`,
      );
    }
    return targets;
  };
  return walkRequirements(files, [main], next, missing).map((f) => f.path);
}

/**
 * Debian packages for dependencies that compile C code on this Python: headers in the builder, libraries
 * at run time (for the Debian release of the image). A locked package compiles where it has no wheel for
 * the Python; a declared one (no file list) where build-dependencies.json says it has no Linux wheels.
 * A compiling package the table does not know gets the compilers alone, and a warning.
 */
function systemPackages(
  files: ProjectTree,
  answers: Answers,
  declared: Map<string, Declared> | undefined,
  indexed: LockedSet | undefined,
  warnings: string[],
): Pick<ProjectFacts, 'buildPackages' | 'runtimePackages'> {
  const python = answers.pythonVersion;
  const debian = debianCodename(python);
  const locked = lockedPackages(files) ?? indexed;
  const byName = new Map((locked?.packages ?? []).map((p) => [p.name, p]));
  // What the lock lists, and what the project declares (without dev groups) that it may not list yet.
  const names = new Set([...byName.keys(), ...(declared?.keys() ?? [])]);
  const build = new Set<string>();
  const runtime = new Set<string>();
  const unknown: string[] = [];
  const compiled: LockedPackage[] = [];
  const missing: LockedPackage[] = [];
  for (const name of [...names].sort()) {
    const row = buildDependencies.packages[name];
    const pkg = byName.get(name);
    const fit = pkg && fitFor(pkg, python);
    if (fit === 'missing') missing.push(pkg!);
    // Locked: by its files; declared only: by the table (no Linux wheels on PyPI).
    const fromTable = row !== undefined && !row.linuxWheels;
    const compiles = pkg ? fit === 'compiles' || (fit === 'sdist-only' && row !== undefined) : fromTable;
    if (!compiles) continue;
    if (fit === 'compiles') compiled.push(pkg!);
    // A Rust build cannot succeed with compilers alone: it gets its warning below, not a builder stage.
    if (buildDependencies.rust.names.includes(name)) continue;
    if (!row) {
      unknown.push(name);
      continue;
    }
    for (const p of row.build) build.add(p);
    for (const p of row.runtime[debian] ?? []) runtime.add(p);
  }
  const source = locked?.source ?? 'the lock';
  const avoid = (list: LockedPackage[]) => {
    const newest = newestWithWheels(lockedWheels(files, indexed)?.allowed ?? []);
    const them = list.length > 1 ? 'all of them' : 'it';
    if (!newest || newest === python) return '';
    return `; ${newest} is the newest Python with wheels for ${them} (--python-version ${newest})`;
  };
  const named = (list: LockedPackage[]) => list.map((p) => `${p.name} ${p.version}`).join(', ');
  const have = (list: unknown[], one: string, many: string) => (list.length > 1 ? many : one);
  if (compiled.length) {
    warnings.push(
      `Python ${python}: ${named(compiled)} (${source}) ${have(compiled, 'has', 'have')} no wheel for it ` +
        `and will compile from source${avoid(compiled)}`,
    );
    const rust = compiled.filter((p) => buildDependencies.rust.names.includes(p.name));
    if (rust.length) {
      warnings.push(
        `${named(rust)} ${have(rust, 'needs', 'need')} Rust to build, which the image does not have: ` +
          `the dependency step will fail on Python ${python}`,
      );
    }
  }
  if (missing.length) {
    warnings.push(
      `Python ${python}: ${named(missing)} (${source}) ${have(missing, 'has', 'have')} neither a wheel for it ` +
        `nor a source distribution: the dependency step will fail${avoid(missing)}`,
    );
  }
  if (unknown.length) {
    warnings.push(
      `${unknown.join(', ')} ${have(unknown, 'compiles', 'compile')} C code, and its Debian packages are not known: ` +
        'the builder stage has the compilers only; add the headers it needs to its apt-get line',
    );
  }
  if (!build.size && !unknown.length && !answers.buildDeps) return { buildPackages: [], runtimePackages: [] };
  return { buildPackages: ['build-essential', ...[...build].sort()], runtimePackages: [...runtime].sort() };
}

const minor = (pythonVersion: string) => Number(pythonVersion.split('.')[1]);

/** Folders holding a virtualenv (pyvenv.cfg, whatever their name): as the walk found them (render escapes each). */
export function virtualenvFolders(files: ProjectTree): string[] {
  return [...files.virtualenvs].sort();
}

/** Files the install reads besides the dependency files: packaging metadata, the readme and license pyproject names. */
function installFiles(files: ProjectTree): string[] {
  const project = files.toml('pyproject.toml')?.project;
  const named = [project?.readme, project?.license]
    .map((v) => (typeof v === 'string' ? v : v?.file))
    .filter((v) => typeof v === 'string');
  return ['pyproject.toml', 'setup.py', 'setup.cfg', 'MANIFEST.in', ...named].filter((f) => files.has(f));
}

/**
 * What the build context must hold, which no .dockerignore rule of ours may exclude: every Python
 * file of the project but local settings (Django's local_settings.py, a Flask instance folder,
 * which hold secrets and stay out), and the files the install reads.
 */
function contextKeep(files: ProjectTree, dependencyFiles: string[]): string[] {
  const local = (f: string) => {
    const parts = f.split('/');
    const instance = parts.indexOf('instance');
    const instanceIsPackage = instance >= 0 && files.has(`${parts.slice(0, instance + 1).join('/')}/__init__.py`);
    return parts.at(-1) === 'local_settings.py' || (instance >= 0 && !instanceIsPackage);
  };
  const code = files.files.filter((f) => f.endsWith('.py') && !local(f));
  // Packages in folders the walk never enters but the .dockerignore lists (`build`, `env`).
  const unwalked = ['build', 'dist', 'env', 'ENV']
    .map((d) => `${d}/__init__.py`)
    .filter((f) => isRegularFile(join(files.root, f)));
  return [...new Set([...code, ...unwalked, ...dependencyFiles, ...installFiles(files)])];
}

/**
 * A folder name written into the Dockerfile (a quoted ENV value, an exec-form RUN) and into
 * README.Docker.md's commands (shell-quoted): any name but one with a control character,
 * which would end the line it is on, a backtick, or (`colon`) a colon, which splits PYTHONPATH.
 */
function carriedPath(path: string | undefined, what: string, colon: boolean): string | undefined {
  if (path === undefined) return path;
  const bad = hasControl(path)
    ? 'a control character'
    : path.includes('`')
      ? "a backtick, which ends README.Docker.md's code spans"
      : colon && path.includes(':')
        ? 'a colon, which splits PYTHONPATH'
        : undefined;
  if (bad) {
    throw new UserError(`${what}, "${shown(path)}", has ${bad}, which the generated files cannot carry; rename it`);
  }
  return path;
}

/** A Procfile `release:` line README.Docker.md can show as a command: one line, no control characters, not huge. */
function carriedRelease(steps: ReleaseSteps, warnings: string[]): ReleaseSteps {
  const release = steps.procfileRelease;
  if (release === undefined || (!hasControl(release) && release.length <= 1000)) return steps;
  const why = hasControl(release) ? 'holds a control character' : 'is over 1000 characters';
  warnings.push(`Procfile release: "${shown(release)}" ${why}: README.Docker.md does not show it`);
  const { procfileRelease: _dropped, ...rest } = steps;
  return rest;
}

/**
 * What rendering needs from the project, from the files detection already walked;
 * `indexed`: what the package index listed for the pinned requirements.
 */
export function scanProject(files: ProjectTree, answers: Answers, indexed?: LockedSet): ProjectScan {
  const scan = scanInstall(files, answers, indexed);
  return { ...scan, facts: { ...scan.facts, contextKeep: contextKeep(files, scan.facts.dependencyFiles) } };
}

function scanInstall(files: ProjectTree, answers: Answers, indexed?: LockedSet): ProjectScan {
  const warnings: string[] = [];
  const declared = declaredDependencies(files);
  const packages = declared.size ? declared : undefined;
  const root = carriedPath(sourceRoot(files, answers), 'the folder holding the entrypoint', true);
  const release = carriedRelease(releaseSteps(files, answers, root), warnings);
  carriedPath(release.managePy, 'manage.py', false);
  const common = {
    sourceRoot: root,
    release,
    buildkit: !answers.noBuildkit,
    imageName: imageName(files.root),
    hasEnvFile: files.has('.env'),
    virtualenvs: virtualenvFolders(files),
    server: serverOptions(files, answers, warnings),
    serving: frameworkPlugin(answers.framework).serving?.(files, answers.entrypoint),
    ...systemPackages(files, answers, packages, indexed, warnings),
  };
  warnings.push(...(common.release.warnings ?? []));
  const manager = answers.packageManager;

  if (manager !== 'pip') {
    const { manifest, lock, lockCommand, installsProject } = lockedSpec(manager);
    for (const needed of [manifest, lock]) {
      if (!files.has(needed)) {
        throw fieldError(
          'package-manager',
          `${manager} needs ${needed}, which the project does not have; ` +
            `run \`${lockCommand}\` or choose another package manager`,
        );
      }
    }
    return {
      facts: {
        ...common,
        install: manager,
        dependencyFiles: [manifest, lock],
        installsProject: installsProject(files.toml('pyproject.toml')),
        writeRequirementsStub: false,
      },
      packages,
      warnings,
    };
  }
  const main = REQUIREMENTS_CANDIDATES.find((p) => files.has(p));
  if (main) {
    return {
      facts: {
        ...common,
        install: 'requirements',
        dependencyFiles: requirementsClosure(files, main, warnings),
        installsProject: false,
        writeRequirementsStub: false,
      },
      packages,
      warnings,
    };
  }
  if (files.has('pyproject.toml')) {
    const project = files.toml('pyproject.toml')?.project;
    // [project].dependencies (a list there is static: PEP 621 forbids also naming it dynamic) install
    // before the sources; the reader is tomllib (Python 3.11+).
    const projectDependenciesFirst =
      Array.isArray(project?.dependencies) && project.dependencies.length > 0 && minor(answers.pythonVersion) >= 11;
    return {
      facts: {
        ...common,
        install: 'pyproject',
        dependencyFiles: ['pyproject.toml'],
        installsProject: true,
        projectDependenciesFirst,
        writeRequirementsStub: false,
      },
      packages,
      warnings,
    };
  }
  // A manifest waiting for its lock (a Pipfile) is its own manager's: say how to lock it.
  for (const spec of packageManagerSpecs()) {
    const manifest = spec.unlocked?.(files);
    if (manifest)
      throw fieldError(
        'package-manager',
        `pip needs requirements.txt or pyproject.toml, and this project has a ${manifest}; ` +
          `run \`${spec.lockCommand}\` and use --package-manager ${spec.id}`,
      );
  }
  return {
    facts: {
      ...common,
      install: 'requirements',
      dependencyFiles: ['requirements.txt'],
      installsProject: false,
      writeRequirementsStub: true,
    },
    warnings,
  };
}

/** A Docker image name from the project folder: lower case, [a-z0-9._-], never empty. */
export function imageName(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'app';
}
