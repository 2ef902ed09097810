/**
 * What the project declares it depends on (to tell the framework), and which
 * package manager its files point to.
 */
import {
  includePath,
  normaliseName,
  parseRequirements,
  walkRequirements,
  type RequirementsFile,
} from './requirements.js';
import { packageManagerSpecs, REQUIREMENTS_CANDIDATES, type PackageManager } from '../package-managers/index.js';
import type { ProjectTree } from './project-tree.js';

export interface Declared {
  /** The file that declares it. */
  source: string;
  /** Extras asked for (fastapi[standard]). */
  extras: Set<string>;
}

/** Declared distributions by normalised name; dev and test groups excluded. Worked out once per tree. */
export function declaredDependencies(tree: ProjectTree): Map<string, Declared> {
  return tree.derived(readDeclared);
}

function readDeclared(tree: ProjectTree): Map<string, Declared> {
  const found = new Map<string, Declared>();
  const add = (name: string, source: string, extras: Iterable<string> = []) => {
    const key = normaliseName(name);
    const entry = found.get(key) ?? { source, extras: new Set<string>() };
    for (const extra of extras) entry.extras.add(extra);
    found.set(key, entry);
  };
  const starts = REQUIREMENTS_CANDIDATES.filter((p) => tree.has(p));
  const follow = (path: string, parsed: RequirementsFile) =>
    parsed.includes
      .map((include) => includePath(path, include))
      .filter((t): t is string => t !== undefined && tree.has(t));
  for (const { path, parsed } of walkRequirements(tree, starts, follow))
    for (const [name, extras] of parsed.packages) add(name, path, extras);
  for (const dep of tree.toml('pyproject.toml')?.project?.dependencies ?? []) {
    for (const [name, extras] of parseRequirements(String(dep)).packages) add(name, 'pyproject.toml', extras);
  }
  // What the managers' own manifests declare (tool.poetry.dependencies, a Pipfile's packages).
  for (const spec of packageManagerSpecs())
    for (const entry of spec.declared?.(tree) ?? []) add(entry.name, entry.source, entry.extras);
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
  for (const spec of packageManagerSpecs()) {
    const signal = spec.signal(tree, pyproject, signals.length > 0);
    if (signal && 'source' in signal) signals.push({ manager: spec.id, source: signal.source });
    else if (signal) warnings.push(signal.warning);
  }
  return { signals, warnings };
}
