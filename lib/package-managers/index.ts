/**
 * The package-manager registry: one file per manager (plugin.ts says what each declares: what points to it,
 * its manifest and lock, the files it reads, its declared dependencies, lock wheels, Python, tool pin, the
 * command that adds a server), listed here. Its builder stage is its own template,
 * templates/dockerfile/builder-<id>.ejs, and its pin is versions.json "tools"[id]. Adding a manager: one file
 * here and one line in REGISTRY, one template, one pin (registerPackageManager does it at run time, for tests).
 */

import { pdm } from './pdm.js';
import { pip } from './pip.js';
import { pipenv } from './pipenv.js';
import type { PackageManagerSpec } from './plugin.js';
import { poetry } from './poetry.js';
import { uv } from './uv.js';

export { REQUIREMENTS_CANDIDATES } from '../project/requirements.js';
export type { DeclaredEntry, IndexContext, PackageManagerSpec, Signal, StatedPython } from './plugin.js';

/** In detection order: lock files first, pip (the fallback) last. */
const REGISTRY: PackageManagerSpec[] = [uv, poetry, pdm, pipenv, pip];

/** The ids in the order users are shown them (--help, the prompt); live: registerPackageManager adds to it. */
export const PACKAGE_MANAGERS: string[] = ['pip', 'uv', 'poetry', 'pipenv', 'pdm'];
/** A manager's id (the --package-manager value). */
export type PackageManager = string;
/** A manager that pins a tool of its own (versions.json "tools"): every one but pip. */
export type LockedManager = string;

/** The plugins in detection order. */
export function packageManagerSpecs(): readonly PackageManagerSpec[] {
  return REGISTRY;
}

/** The plugin for an id; an unknown id (a stored answer from elsewhere) is refused before it gets here. */
export function packageManagerSpec(id: string): PackageManagerSpec {
  const spec = REGISTRY.find((s) => s.id === id);
  if (!spec) throw new Error(`unknown package manager ${id}`);
  return spec;
}

/** The locked managers' specs, for the fields only they have. */
export function lockedSpec(manager: LockedManager): Required<PackageManagerSpec> {
  return packageManagerSpec(manager) as Required<PackageManagerSpec>;
}

/** Adds a manager (tests; a plugin of one's own): detected before `before` (an id), else before pip (last). */
export function registerPackageManager(spec: PackageManagerSpec, options: { before?: string } = {}): void {
  if (REGISTRY.some((s) => s.id === spec.id)) throw new Error(`package manager ${spec.id} is already registered`);
  const at = REGISTRY.findIndex((s) => s.id === (options.before ?? pip.id));
  REGISTRY.splice(at < 0 ? REGISTRY.length : at, 0, spec);
  PACKAGE_MANAGERS.push(spec.id);
}

/** Every file that says how the dependencies install, each once. */
export function dependencyFileNames(): string[] {
  return [...new Set([pip, ...REGISTRY].flatMap((s) => s.dependencyFiles))];
}

/** The manager behind an install mode: pip's two (`requirements`, `pyproject`), else the manager itself. */
export function managerOf(install: string): PackageManagerSpec {
  return install === 'requirements' || install === 'pyproject' ? pip : packageManagerSpec(install);
}
