/**
 * Which Python versions the packages the image installs have Linux wheels for:
 * from the wheel file names in a lock (each manager's plugin reads its own: lockedPackages),
 * wheel URLs in requirements files, or what the package index lists for pinned
 * requirements. Only runtime packages count (no dev groups). A package that ships
 * wheels for some CPythons but not the one in the image compiles from source
 * there (or cannot install); a pure-Python sdist narrows nothing.
 */
import { packageManagerSpecs } from '../package-managers/index.js';
import { PYTHON_VERSIONS } from '../versions.js';
import { compareVersions, normalise, type LockedPackage } from './locked-package.js';
import { REQUIREMENTS_CANDIDATES } from './requirements.js';
import type { ProjectTree } from './project-tree.js';

export { markerAllows, type LockedPackage } from './locked-package.js';

/** Packages with their files, and where the list came from (`uv.lock`, `requirements.txt (index)`). */
export interface LockedSet {
  source: string;
  packages: LockedPackage[];
}

/** How a package installs on one Python. */
export type Fit = 'wheel' | 'not-installed' | 'sdist-only' | 'compiles' | 'missing';

export interface WheelConstraint {
  /** Supported minors every runtime package has a Linux wheel for (or needs none), oldest first. */
  allowed: string[];
  source: string;
  packages: LockedPackage[];
}

/** Wheels named by URL in requirements files (`pkg @ https://…/pkg-1.0-cp312-cp312-manylinux….whl`). */
function fromRequirements(tree: ProjectTree): LockedSet | undefined {
  for (const path of REQUIREMENTS_CANDIDATES) {
    const text = tree.read(path);
    if (!text?.includes('.whl')) continue;
    const byName = new Map<string, LockedPackage>();
    for (const word of text.split(/[\s/#=@]+/)) {
      if (!word.endsWith('.whl')) continue;
      const [name, version] = word.split('-');
      const pkg = byName.get(normalise(name)) ?? { name: normalise(name), version, wheels: [], hasSdist: false };
      pkg.wheels.push(word);
      byName.set(pkg.name, pkg);
    }
    return { packages: [...byName.values()], source: path };
  }
  return undefined;
}

/** The runtime packages the image installs, from the project's lock, or undefined when nothing lists their files. */
export function lockedPackages(tree: ProjectTree): LockedSet | undefined {
  return tree.derived(readLocked);
}

function readLocked(tree: ProjectTree): LockedSet | undefined {
  for (const spec of packageManagerSpecs()) {
    if (spec.lock && spec.lockedPackages && tree.has(spec.lock))
      return { source: spec.lock, packages: spec.lockedPackages(tree.toml(spec.lock) ?? {}) };
  }
  return fromRequirements(tree);
}

/** The minors a wheel installs on in a Debian x86_64 image (glibc); 'all' for a pure wheel. */
export function wheelMinors(file: string): string[] | 'all' | undefined {
  const parts = file.slice(0, -'.whl'.length).split('-');
  if (parts.length < 5) return undefined;
  const [py, abi, plat] = parts.slice(-3);
  const platforms = plat.split('.');
  if (!platforms.some((p) => p === 'any' || (/^(many)?linux/.test(p) && p.endsWith('x86_64')))) return undefined;
  const minors = new Set<string>();
  for (const tag of py.split('.')) {
    if (/^py3\d*$/.test(tag) || /^py2\.?py3$/.test(tag)) return 'all';
    const m = /^cp3(\d+)$/.exec(tag);
    if (!m) continue;
    const from = Number(m[1]);
    const abis = abi.split('.');
    if (abis.includes('abi3')) {
      for (const v of PYTHON_VERSIONS) if (Number(v.split('.')[1]) >= from) minors.add(v);
    } else if (abis.includes(`cp3${m[1]}`) || abis.includes('none')) {
      minors.add(`3.${from}`);
    }
  }
  return [...minors];
}

/** The minors a package has a Linux wheel for; 'all' when one is pure; empty when it has no Linux wheel. */
export function packageMinors(pkg: LockedPackage): string[] | 'all' {
  const minors = new Set<string>();
  for (const file of pkg.wheels) {
    const these = wheelMinors(file);
    if (these === 'all') return 'all';
    for (const v of these ?? []) minors.add(v);
  }
  return PYTHON_VERSIONS.filter((v) => minors.has(v));
}

/**
 * How a package installs on `minor`: from a wheel, from its sdist where it has no Linux wheel at all,
 * or compiled where other Pythons have one.
 */
export function fitFor(pkg: LockedPackage, minor: string): Fit {
  if (pkg.on && !pkg.on.has(minor)) return 'not-installed';
  const minors = packageMinors(pkg);
  if (minors === 'all' || minors.includes(minor)) return 'wheel';
  if (!minors.length) return 'sdist-only';
  return pkg.hasSdist ? 'compiles' : 'missing';
}

const FITTING: Fit[] = ['wheel', 'not-installed', 'sdist-only'];
const fits = (pkg: LockedPackage, minor: string) => FITTING.includes(fitFor(pkg, minor));

/** What the runtime packages' wheels allow, or undefined when nothing narrows the choice. */
export function lockedWheels(tree: ProjectTree, indexed?: LockedSet): WheelConstraint | undefined {
  const locked = lockedPackages(tree) ?? indexed;
  if (!locked) return undefined;
  const allowed = PYTHON_VERSIONS.filter((v) => locked.packages.every((p) => fits(p, v)));
  if (allowed.length === PYTHON_VERSIONS.length) return undefined;
  return { allowed, source: locked.source, packages: locked.packages };
}

/** The packages that do not install from a wheel on `minor`. */
export function blockers(constraint: WheelConstraint, minor: string): LockedPackage[] {
  return constraint.packages.filter((p) => !fits(p, minor));
}

/**
 * "uv.lock: pydantic-core 2.33.2 has wheels up to 3.13": the package that rules out `minor`
 * (the one whose newest wheel is oldest first).
 */
export function decidingPackage(constraint: WheelConstraint, minor: string): string {
  const found = blockers(constraint, minor);
  const upTo = (p: LockedPackage) => {
    const minors = packageMinors(p);
    return minors === 'all' ? '' : (minors.at(-1) ?? '');
  };
  const ranked = [...found].sort((a, b) => compareVersions(upTo(a), upTo(b)) || a.name.localeCompare(b.name));
  const first = ranked[0];
  if (!first) return constraint.source;
  const has = upTo(first) ? `has wheels up to ${upTo(first)}` : 'has no Linux wheel';
  const more = ranked.length > 1 ? ` (and ${ranked.length - 1} more)` : '';
  return `${constraint.source}: ${first.name} ${first.version} ${has}${more}`;
}
