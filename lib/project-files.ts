/**
 * What the project on disk has that rendering depends on: how its dependencies
 * install (package manager and the files it reads), which of them compile C
 * code, where its modules live, and what it declares (to warn about a missing server).
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Answers } from './answers.js';
import { declaredDependencies, tomlOf, type Declared } from './detect/dependencies.js';
import { DirectFiles } from './detect/project-tree.js';
import { REQUIREMENTS_CANDIDATES, lockedSpec } from './package-managers.js';
import type { ProjectFacts } from './render.js';
import { includePath, parseRequirements } from './requirements.js';
import { fieldError, UserError } from './user-error.js';
import { versions } from './versions.js';

export interface ProjectScan {
  facts: ProjectFacts;
  /** Distributions the project declares (undefined: none yet; the stub will). */
  packages?: Map<string, Declared>;
  warnings: string[];
}

/** requirements.txt and every file it includes with -r/-c: the install step must see them all. */
function requirementsClosure(files: DirectFiles, main: string, warnings: string[]): string[] {
  const seen: string[] = [];
  const queue = [main];
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.includes(path)) continue;
    const text = files.read(path);
    if (text === undefined) {
      throw new UserError(`${seen.at(-1) ?? main}: includes ${path}, which does not exist; fix the -r/-c line or create the file`);
    }
    seen.push(path);
    const parsed = parseRequirements(text);
    for (const include of parsed.includes) {
      const target = includePath(path, include);
      if (target === undefined) warnings.push(`${path} includes ${include}, outside the project: the image build cannot see it`);
      else queue.push(target);
    }
    for (const local of parsed.localPaths) {
      warnings.push(`${path} installs the local path ${local}, which the dependency step cannot see before the source is copied`);
    }
  }
  return seen;
}

/**
 * The folder the entrypoint's top module lives in, when it is not the project root:
 * `src` for a src layout, `backend` for a Django project whose manage.py is there.
 */
export function sourceRoot(dir: string, answers: Answers): string | undefined {
  if (answers.entrypoint.endsWith('.py')) return undefined; // a file path, relative to the root
  const top = answers.entrypoint.split(/[.:]/)[0];
  const at = (root: string) => existsSync(join(dir, root, `${top}.py`)) || existsSync(join(dir, root, top));
  if (at('')) return undefined;
  if (at('src')) return 'src';
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('.') && existsSync(join(dir, entry.name, 'manage.py')) && at(entry.name)) return entry.name;
  }
  return undefined;
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

/** Folders holding a virtualenv (pyvenv.cfg, whatever their name), at the root or one level down. */
export function virtualenvFolders(dir: string): string[] {
  const found: string[] = [];
  const visit = (rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (existsSync(join(dir, path, 'pyvenv.cfg'))) found.push(path);
      else if (depth < 1) visit(path, depth + 1);
    }
  };
  visit('', 0);
  return found.sort();
}

export function scanProject(dir: string, answers: Answers): ProjectScan {
  const files = new DirectFiles(dir);
  const warnings: string[] = [];
  const declared = declaredDependencies(files);
  const packages = declared.size ? declared : undefined;
  const common = {
    sourceRoot: sourceRoot(dir, answers),
    buildkit: !answers.noBuildkit,
    imageName: imageName(dir),
    hasEnvFile: files.has('.env'),
    virtualenvs: virtualenvFolders(dir),
    ...systemPackages(packages, answers.buildDeps),
  };
  const manager = answers.packageManager;

  if (manager !== 'pip') {
    const { manifest, lock, lockCommand, installsProject } = lockedSpec(manager);
    for (const needed of [manifest, lock]) {
      if (!files.has(needed)) {
        throw fieldError('package-manager', `${manager} needs ${needed}, which the project does not have; run \`${lockCommand}\` or choose another package manager`);
      }
    }
    return {
      facts: { ...common, install: manager, dependencyFiles: [manifest, lock], installsProject: installsProject(tomlOf(files, 'pyproject.toml')), writeRequirementsStub: false },
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
    const project = tomlOf(files, 'pyproject.toml')?.project;
    // Static [project].dependencies install before the sources; the reader is tomllib (Python 3.11+).
    const projectDependenciesFirst =
      Array.isArray(project?.dependencies) && project.dependencies.length > 0 && !project?.dynamic?.includes?.('dependencies') && minor(answers.pythonVersion) >= 11;
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
