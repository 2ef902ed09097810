/**
 * What the project on disk has that rendering depends on: how its dependencies
 * install (package manager and the files it reads), which of them compile C
 * code, where its modules live, and what it declares (to warn about a missing server).
 */
import { basename, join, resolve } from 'node:path';
import type { Answers } from './answers.js';
import { declaredDependencies, type Declared } from './detect/dependencies.js';
import { sourceRoot } from './detect/modules.js';
import type { ProjectTree } from './detect/project-tree.js';
import { REQUIREMENTS_CANDIDATES, lockedSpec } from './package-managers.js';
import { releaseSteps } from './release-steps.js';
import type { ProjectFacts } from './render.js';
import { includePath, parseRequirements } from './requirements.js';
import { nonRegularKind } from './safe-files.js';
import { fieldError, UserError } from './user-error.js';
import { versions } from './versions.js';

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
const UNSAFE_NAME = 'a name the generated files cannot carry safely (--mount options, compose.yaml); rename it using letters, digits and . _ - + /';

/** requirements.txt and every file it includes with -r/-c: the install step must see them all. */
function requirementsClosure(files: ProjectTree, main: string, warnings: string[]): string[] {
  const seen: string[] = [];
  const queue = [main];
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.includes(path)) continue;
    const text = files.read(path);
    if (text === undefined) {
      const other = nonRegularKind(join(files.root, path));
      if (other) throw new UserError(`${seen.at(-1) ?? main}: includes ${path}, which is ${other}, not a regular file; replace it with the file itself`);
      throw new UserError(`${seen.at(-1) ?? main}: includes ${path}, which does not exist; fix the -r/-c line or create the file`);
    }
    seen.push(path);
    const parsed = parseRequirements(text);
    for (const include of parsed.includes) {
      const target = includePath(path, include);
      if (target === undefined) warnings.push(`${path} includes ${include}, outside the project: the image build cannot see it`);
      else if (!SAFE_PATH.test(target)) throw new UserError(`${path}: includes "${include}", ${UNSAFE_NAME}`);
      else queue.push(target);
    }
    for (const local of parsed.localPaths) {
      warnings.push(`${path} installs the local path ${local}, which the dependency step cannot see before the source is copied`);
    }
  }
  return seen;
}

/** Debian packages for dependencies that compile C code: headers in the builder, libraries at runtime. */
function systemPackages(packages: Map<string, Declared> | undefined, forced: boolean): Pick<ProjectFacts, 'buildPackages' | 'runtimePackages'> {
  const build = new Set<string>();
  const runtime = new Set<string>();
  for (const [name, needs] of Object.entries(versions.buildDependencies)) {
    if (name.startsWith('$') || !packages?.has(name)) continue;
    for (const p of needs.build) build.add(p);
    for (const p of needs.runtime) runtime.add(p);
  }
  if (!build.size && !forced) return { buildPackages: [], runtimePackages: [] };
  return { buildPackages: ['build-essential', ...[...build].sort()], runtimePackages: [...runtime].sort() };
}

const minor = (pythonVersion: string) => Number(pythonVersion.split('.')[1]);

/** A folder name safe to write on a .dockerignore line: SAFE_PATH's characters, a leading dot allowed (.venv), never `.` or `..`. */
const VENV_PATH = /^(?!\.\.?(?:\/|$))(?!.*\/\.\.?(?:\/|$))[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*$/;

/** Folders holding a virtualenv (pyvenv.cfg, whatever their name), at the root or one level down: as the walk found them. */
export function virtualenvFolders(files: ProjectTree): string[] {
  return files.virtualenvs.filter((path) => path.split('/').length <= 2 && VENV_PATH.test(path)).sort();
}

function safeName(path: string | undefined, what: string): string | undefined {
  if (path !== undefined && !SAFE_PATH.test(path)) throw new UserError(`${what}, "${path}", has ${UNSAFE_NAME}`);
  return path;
}

/** What rendering needs from the project, from the files detection already walked. */
export function scanProject(files: ProjectTree, answers: Answers): ProjectScan {
  const warnings: string[] = [];
  const declared = declaredDependencies(files);
  const packages = declared.size ? declared : undefined;
  const root = safeName(sourceRoot(files, answers), 'the folder holding the entrypoint');
  const common = {
    sourceRoot: root,
    release: releaseSteps(files, answers, root),
    buildkit: !answers.noBuildkit,
    imageName: imageName(files.root),
    hasEnvFile: files.has('.env'),
    virtualenvs: virtualenvFolders(files),
    ...systemPackages(packages, answers.buildDeps),
  };
  warnings.push(...(common.release.warnings ?? []));
  const manager = answers.packageManager;

  if (manager !== 'pip') {
    const { manifest, lock, lockCommand, installsProject } = lockedSpec(manager);
    for (const needed of [manifest, lock]) {
      if (!files.has(needed)) {
        throw fieldError('package-manager', `${manager} needs ${needed}, which the project does not have; run \`${lockCommand}\` or choose another package manager`);
      }
    }
    return {
      facts: { ...common, install: manager, dependencyFiles: [manifest, lock], installsProject: installsProject(files.toml('pyproject.toml')), writeRequirementsStub: false },
      packages,
      warnings,
    };
  }
  const main = REQUIREMENTS_CANDIDATES.find((p) => files.has(p));
  if (main) {
    return {
      facts: { ...common, install: 'requirements', dependencyFiles: requirementsClosure(files, main, warnings), installsProject: false, writeRequirementsStub: false },
      packages,
      warnings,
    };
  }
  if (files.has('pyproject.toml')) {
    const project = files.toml('pyproject.toml')?.project;
    // [project].dependencies (a list there is static: PEP 621 forbids also naming it dynamic) install
    // before the sources; the reader is tomllib (Python 3.11+).
    const projectDependenciesFirst = Array.isArray(project?.dependencies) && project.dependencies.length > 0 && minor(answers.pythonVersion) >= 11;
    return {
      facts: { ...common, install: 'pyproject', dependencyFiles: ['pyproject.toml'], installsProject: true, projectDependenciesFirst, writeRequirementsStub: false },
      packages,
      warnings,
    };
  }
  if (files.has('Pipfile')) {
    throw fieldError('package-manager', 'pip needs requirements.txt or pyproject.toml, and this project has a Pipfile; run `pipenv lock` and use --package-manager pipenv');
  }
  return {
    facts: { ...common, install: 'requirements', dependencyFiles: ['requirements.txt'], installsProject: false, writeRequirementsStub: true },
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
