/**
 * What the project on disk already has that rendering depends on: its
 * dependency files (and what they list), its name, its .yo-rc.json.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Answers } from './answers.js';
import { REQUIREMENTS_CANDIDATES } from './detect/dependencies.js';
import type { ProjectFacts } from './render.js';
import { includePath, parseRequirements } from './requirements.js';
import { UserError } from './user-error.js';

export interface ProjectScan {
  facts: ProjectFacts;
  /** Distributions the project declares (undefined: it declares none yet; the stub will). */
  packages?: Map<string, Set<string>>;
  warnings: string[];
}

function readText(dir: string, path: string): string | undefined {
  const file = join(dir, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Follows -r/-c includes so the install step can bind-mount every file pip will open. */
function scanRequirements(dir: string, main: string, warnings: string[]): Pick<ProjectScan, 'facts' | 'packages'> {
  const files: string[] = [];
  const packages = new Map<string, Set<string>>();
  const queue = [main];
  while (queue.length) {
    const path = queue.shift()!;
    if (files.includes(path)) continue;
    const text = readText(dir, path);
    if (text === undefined) {
      throw new UserError(`${files.at(-1) ?? main}: includes ${path}, which does not exist; fix the -r/-c line or create the file`);
    }
    files.push(path);
    const parsed = parseRequirements(text);
    for (const [name, extras] of parsed.packages) packages.set(name, new Set([...(packages.get(name) ?? []), ...extras]));
    for (const include of parsed.includes) {
      const target = includePath(path, include);
      if (target === undefined) warnings.push(`${path} includes ${include}, outside the project: the image build cannot see it`);
      else queue.push(target);
    }
    for (const local of parsed.localPaths) {
      warnings.push(`${path} installs the local path ${local}, which the dependency step cannot see before the source is copied`);
    }
  }
  return { facts: { install: 'requirements', requirementsFiles: files, writeRequirementsStub: false }, packages };
}

/** `[project] dependencies` of a pyproject.toml, by name. */
function pyprojectPackages(text: string): Map<string, Set<string>> {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`pyproject.toml: not valid TOML (${(error as Error).message.split('\n')[0]})`);
  }
  const deps = ((data.project as Record<string, unknown> | undefined)?.dependencies ?? []) as unknown[];
  return parseRequirements(deps.filter((d) => typeof d === 'string').join('\n')).packages;
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

export function scanProject(dir: string, answers: Answers): ProjectScan {
  const warnings: string[] = [];
  const root = sourceRoot(dir, answers);
  const main = REQUIREMENTS_CANDIDATES.find((p) => existsSync(join(dir, p)));
  if (main) {
    const scanned = scanRequirements(dir, main, warnings);
    return { ...scanned, facts: { ...scanned.facts, sourceRoot: root }, warnings };
  }
  const pyproject = readText(dir, 'pyproject.toml');
  if (pyproject !== undefined) {
    return {
      facts: { install: 'pyproject', requirementsFiles: [], writeRequirementsStub: false, sourceRoot: root },
      packages: pyprojectPackages(pyproject),
      warnings,
    };
  }
  return { facts: { install: 'requirements', requirementsFiles: ['requirements.txt'], writeRequirementsStub: true, sourceRoot: root }, warnings };
}

/** A Docker image name from the project folder: lower case, [a-z0-9._-], never empty. */
export function imageName(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'app';
}

