/**
 * What the project declares it depends on (to tell the framework), and which
 * package manager its files point to.
 */
import { includePath, normaliseName, parseRequirements } from '../requirements.js';
import type { ProjectTree } from './project-tree.js';

/** requirements files, in the order pip projects name the one to install. */
export const REQUIREMENTS_CANDIDATES = [
  'requirements.txt',
  'requirements/production.txt',
  'requirements/prod.txt',
  'requirements/base.txt',
  'requirements/main.txt',
  'requirements/common.txt',
];

export interface Declared {
  /** The file that declares it. */
  source: string;
  /** Extras asked for (fastapi[standard]). */
  extras: Set<string>;
}

/** Declared distributions by normalised name; dev and test groups excluded. */
export function declaredDependencies(tree: ProjectTree): Map<string, Declared> {
  const found = new Map<string, Declared>();
  const add = (name: string, source: string, extras: Iterable<string> = []) => {
    const key = normaliseName(name);
    const entry = found.get(key) ?? { source, extras: new Set<string>() };
    for (const extra of extras) entry.extras.add(extra);
    found.set(key, entry);
  };
  const seen = new Set<string>();
  const queue = REQUIREMENTS_CANDIDATES.filter((p) => tree.has(p));
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const parsed = parseRequirements(tree.read(path) ?? '');
    for (const [name, extras] of parsed.packages) add(name, path, extras);
    for (const include of parsed.includes) {
      const target = includePath(path, include);
      if (target && tree.has(target)) queue.push(target);
    }
  }
  const pyproject = tree.toml('pyproject.toml');
  for (const dep of pyproject?.project?.dependencies ?? []) {
    for (const [name, extras] of parseRequirements(String(dep)).packages) add(name, 'pyproject.toml', extras);
  }
  for (const [name, spec] of Object.entries(pyproject?.tool?.poetry?.dependencies ?? {})) {
    if (name !== 'python') add(name, 'pyproject.toml', (spec as { extras?: string[] })?.extras ?? []);
  }
  for (const [name, spec] of Object.entries(tree.toml('Pipfile')?.packages ?? {})) {
    add(name, 'Pipfile', (spec as { extras?: string[] })?.extras ?? []);
  }
  return found;
}

export type { PackageManager } from '../package-managers.js';
import type { PackageManager } from '../package-managers.js';

export interface PackageManagerSignal {
  manager: PackageManager;
  source: string;
}

/** Every package manager the files point to, in precedence order (lock files first). */
export function packageManagerSignals(tree: ProjectTree): { signals: PackageManagerSignal[]; warnings: string[] } {
  const signals: PackageManagerSignal[] = [];
  const warnings: string[] = [];
  const pyproject = tree.toml('pyproject.toml');
  if (tree.has('uv.lock')) signals.push({ manager: 'uv', source: 'uv.lock' });
  if (tree.has('poetry.lock')) signals.push({ manager: 'poetry', source: 'poetry.lock' });
  else if (pyproject?.tool?.poetry) signals.push({ manager: 'poetry', source: 'pyproject.toml [tool.poetry]' });
  else if (String(pyproject?.['build-system']?.['build-backend'] ?? '').startsWith('poetry.core')) {
    signals.push({ manager: 'poetry', source: 'pyproject.toml build-backend' });
  }
  if (tree.has('pdm.lock')) signals.push({ manager: 'pdm', source: 'pdm.lock' });
  if (tree.has('Pipfile.lock')) signals.push({ manager: 'pipenv', source: 'Pipfile.lock' });
  else if (tree.has('Pipfile')) warnings.push('Pipfile has no Pipfile.lock: run `pipenv lock` so the image installs locked versions');
  const requirements = REQUIREMENTS_CANDIDATES.find((p) => tree.has(p));
  if (requirements) signals.push({ manager: 'pip', source: requirements });
  else if (pyproject && !signals.length) signals.push({ manager: 'pip', source: 'pyproject.toml (no lock file: pip install .)' });
  return { signals, warnings };
}
