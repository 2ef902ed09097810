/**
 * Which Python versions the packages the image installs have Linux wheels for:
 * from the wheel file names in uv.lock, poetry.lock (formats 1 and 2), pdm.lock,
 * wheel URLs in requirements files, or what the package index lists for pinned
 * requirements. Only runtime packages count: uv's closure of the project's
 * dependencies, Poetry's main group, PDM's default group. A package that ships
 * wheels for some CPythons but not the one in the image compiles from source
 * there (or cannot install); a pure-Python sdist narrows nothing.
 */
import { PYTHON_VERSIONS } from '../versions.js';
import { REQUIREMENTS_CANDIDATES } from './requirements.js';
import type { ProjectTree } from './project-tree.js';

export interface LockedPackage {
  name: string;
  version: string;
  /** Wheel file names. */
  wheels: string[];
  hasSdist: boolean;
  /** The Python minors it is installed on (environment markers); undefined: every one. */
  on?: Set<string>;
}

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

const SDIST = /\.(tar\.gz|zip|tar\.bz2)$/;
const fileName = (url: string) =>
  url
    .split(/[/#?]/)
    .filter(Boolean)
    .reverse()
    .find((p) => p.endsWith('.whl') || SDIST.test(p)) ?? '';
const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

const versionParts = (text: string) => text.split('.').map((p) => Number.parseInt(p, 10) || 0);
function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
}

/** PEP 508 environment markers on Linux x86_64 CPython `minor`; what it cannot read it takes as true. */
export function markerAllows(marker: string | undefined, minor: string): boolean {
  if (!marker?.trim()) return true;
  const env: Record<string, string> = {
    python_version: minor,
    python_full_version: `${minor}.99`,
    sys_platform: 'linux',
    platform_system: 'Linux',
    platform_machine: 'x86_64',
    os_name: 'posix',
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
  };
  const versioned = new Set(['python_version', 'python_full_version']);
  const tokens = marker.match(/\(|\)|'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|not\s+in\b|[\w.]+/g) ?? [];
  let i = 0;
  const value = (t: string) => (/^['"]/.test(t) ? t.slice(1, -1) : env[t]);
  const test = (): boolean => {
    if (tokens[i] === '(') {
      i++;
      const inner = either();
      i++;
      return inner;
    }
    const [left, op, right] = [tokens[i++], tokens[i++], tokens[i++]];
    const [l, r] = [value(left), value(right)];
    if (l === undefined || r === undefined || op === undefined) return true;
    if (op === 'in') return r.includes(l);
    if (/^not\s+in$/.test(op)) return !r.includes(l);
    const d = versioned.has(left) || versioned.has(right) ? compareVersions(l, r) : l.localeCompare(r);
    const results: Record<string, boolean> = { '==': d === 0, '===': d === 0, '!=': d !== 0, '<': d < 0, '<=': d <= 0 };
    return { ...results, '>': d > 0, '>=': d >= 0, '~=': d >= 0 }[op] ?? true;
  };
  const both = (): boolean => {
    let v = test();
    while (tokens[i] === 'and') {
      i++;
      v = test() && v;
    }
    return v;
  };
  const either = (): boolean => {
    let v = both();
    while (tokens[i] === 'or') {
      i++;
      v = both() || v;
    }
    return v;
  };
  return either();
}

const minorsWhere = (marker: string | undefined) => new Set(PYTHON_VERSIONS.filter((v) => markerAllows(marker, v)));

function packageOf(pkg: Record<string, any>, files: string[], sdist: boolean, on?: Set<string>): LockedPackage {
  const names = files.map(fileName);
  return {
    name: normalise(String(pkg.name)),
    version: String(pkg.version ?? ''),
    wheels: names.filter((f) => f.endsWith('.whl')),
    hasSdist: sdist || names.some((f) => SDIST.test(f)),
    on,
  };
}

interface Edge {
  name: string;
  version?: string;
  marker?: string;
  extra?: string[];
}

/**
 * uv.lock: the closure of the project's runtime dependencies per Python:
 * no dev groups, no extras it does not ask for.
 */
function fromUvLock(data: Record<string, any>): LockedPackage[] {
  const all = (data.package ?? []) as Record<string, any>[];
  const local = (p: Record<string, any>) => p.source?.virtual !== undefined || p.source?.editable !== undefined;
  const roots = all.filter((p) => p.source?.virtual === '.' || p.source?.editable === '.');
  const starts = roots.length ? roots : all.filter(local);
  if (!starts.length) return all.map((p) => uvPackage(p)); // no project entry: every locked package
  const byName = new Map<string, Record<string, any>[]>();
  for (const p of all) byName.set(normalise(String(p.name)), [...(byName.get(normalise(String(p.name))) ?? []), p]);
  const on = new Map<Record<string, any>, Set<string>>();
  for (const minor of PYTHON_VERSIONS) {
    const queue = [...starts];
    const seen = new Set(queue);
    while (queue.length) {
      const pkg = queue.shift()!;
      on.set(pkg, (on.get(pkg) ?? new Set()).add(minor));
      const edges: Edge[] = [...(pkg.dependencies ?? [])];
      for (const e of [...edges]) {
        // `fastapi[standard]`: the extra's dependencies come from fastapi's optional-dependencies.
        for (const extra of e.extra ?? []) {
          const target = byName.get(normalise(e.name))?.find((p) => !e.version || p.version === e.version);
          const both = (x: Edge) =>
            [e.marker, x.marker]
              .filter(Boolean)
              .map((m) => `(${m})`)
              .join(' and ');
          const extras = (target?.['optional-dependencies']?.[extra] ?? []) as Edge[];
          edges.push(...extras.map((x) => ({ ...x, marker: both(x) })));
        }
      }
      for (const e of edges) {
        if (!markerAllows(e.marker, minor)) continue;
        const candidates = byName.get(normalise(e.name)) ?? [];
        const forks = (p: Record<string, any>) => markerAllows(p['resolution-markers']?.join?.(' or '), minor);
        const target = candidates.find((p) => (!e.version || p.version === e.version) && forks(p)) ?? candidates[0];
        if (target && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
  }
  return [...on].filter(([p]) => !local(p)).map(([p, minors]) => uvPackage(p, minors));
}

function uvPackage(pkg: Record<string, any>, on?: Set<string>): LockedPackage {
  const files = (pkg.wheels ?? []).map((w: Record<string, any>) => String(w.url ?? w.path ?? w.filename ?? ''));
  // A path, git or directory source builds from its sources.
  const builds = Boolean(pkg.sdist) || (pkg.source && !pkg.source.registry && !pkg.source.url);
  return packageOf(pkg, files, builds, on);
}

/**
 * poetry.lock: the main group only (format 2.1 `groups`, format 1 `category`); files per package (2.x)
 * or in [metadata.files] (1.x).
 */
function fromPoetryLock(data: Record<string, any>): LockedPackage[] {
  const legacy = data.metadata?.files as Record<string, { file: string }[]> | undefined;
  const out: LockedPackage[] = [];
  for (const pkg of (data.package ?? []) as Record<string, any>[]) {
    if (pkg.category === 'dev' || (Array.isArray(pkg.groups) && !pkg.groups.includes('main'))) continue;
    const listed = [...(pkg.files ?? []), ...(legacy?.[pkg.name] ?? legacy?.[normalise(pkg.name)] ?? [])];
    const files = listed.map((f) => String(f.file ?? f.url ?? ''));
    const marker = typeof pkg.markers === 'string' ? pkg.markers : pkg.markers?.main;
    const builds = Boolean(pkg.source?.type && pkg.source.type !== 'legacy');
    out.push(packageOf(pkg, files, builds, marker ? minorsWhere(marker) : undefined));
  }
  return out;
}

/**
 * pdm.lock: the default group only; files per package,
 * or (before lock_version 4.3) in [metadata.files] as "name version".
 */
function fromPdmLock(data: Record<string, any>): LockedPackage[] {
  const legacy = data.metadata?.files as Record<string, Record<string, any>[]> | undefined;
  const out: LockedPackage[] = [];
  for (const pkg of (data.package ?? []) as Record<string, any>[]) {
    if (Array.isArray(pkg.groups) && !pkg.groups.includes('default')) continue;
    const listed = [...(pkg.files ?? []), ...(legacy?.[`${pkg.name} ${pkg.version}`] ?? [])];
    const files = listed.map((f: Record<string, any>) => String(f.file ?? f.url ?? ''));
    const builds = Boolean(pkg.path || pkg.git || pkg.url);
    out.push(packageOf(pkg, files, builds, pkg.marker ? minorsWhere(pkg.marker) : undefined));
  }
  return out;
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
  const readers: [string, (data: Record<string, any>) => LockedPackage[]][] = [
    ['uv.lock', fromUvLock],
    ['poetry.lock', fromPoetryLock],
    ['pdm.lock', fromPdmLock],
  ];
  for (const [lock, read] of readers) {
    if (tree.has(lock)) return { source: lock, packages: read(tree.toml(lock) ?? {}) };
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
