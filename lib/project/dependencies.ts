/**
 * What the project declares it depends on (to tell the framework), and which
 * package manager its files point to.
 */
import { includePath, normaliseName, parseRequirements } from './requirements.js';
import { PACKAGE_MANAGER_SPECS, REQUIREMENTS_CANDIDATES, type PackageManager } from '../package-managers/index.js';
import type { ProjectTree } from './project-tree.js';

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

export interface PackageManagerSignal {
  manager: PackageManager;
  source: string;
}

/** Every package manager the files point to, in precedence order (lock files first). */
export function packageManagerSignals(tree: ProjectTree): { signals: PackageManagerSignal[]; warnings: string[] } {
  const signals: PackageManagerSignal[] = [];
  const warnings: string[] = [];
  const pyproject = tree.toml('pyproject.toml');
  for (const [manager, spec] of Object.entries(PACKAGE_MANAGER_SPECS) as [
    PackageManager,
    (typeof PACKAGE_MANAGER_SPECS)[PackageManager],
  ][]) {
    const signal = spec.signal(tree, pyproject, signals.length > 0);
    if (signal && 'source' in signal) signals.push({ manager, source: signal.source });
    else if (signal) warnings.push(signal.warning);
  }
  return { signals, warnings };
}
