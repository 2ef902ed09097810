/**
 * Which Python versions the project's locked binary dependencies can install
 * on: from the wheel file names in uv.lock, poetry.lock, pdm.lock, and wheel
 * URLs in requirements files. A locked package with no source distribution
 * and no pure-Python wheel installs only where a Linux wheel for that CPython
 * exists; a just-released Python often has none yet.
 */
import { PYTHON_VERSIONS } from '../versions.js';
import { REQUIREMENTS_CANDIDATES } from '../package-managers.js';
import type { ProjectTree } from './project-tree.js';

interface LockedPackage {
  name: string;
  version: string;
  files: string[];
  hasSdist: boolean;
}

export interface WheelConstraint {
  /** Supported minors every locked binary package has a Linux wheel for, oldest first. */
  allowed: string[];
  /** The lock file read. */
  source: string;
  /** The packages that narrow it, with the CPython versions they have wheels for. */
  limits: { name: string; version: string; minors: string[] }[];
}

const fileName = (url: string) => url.split(/[/#?]/).filter(Boolean).reverse().find((p) => p.endsWith('.whl') || /\.(tar\.gz|zip|tar\.bz2)$/.test(p)) ?? '';

function fromToml(data: Record<string, any> | undefined, lockName: string): LockedPackage[] {
  const out: LockedPackage[] = [];
  const legacy = data?.metadata?.files as Record<string, { file: string }[]> | undefined; // poetry.lock before 2.0
  for (const pkg of (data?.package ?? []) as Record<string, any>[]) {
    const files: string[] = [];
    let hasSdist = false;
    if (lockName === 'uv.lock') {
      if (pkg.sdist) hasSdist = true;
      for (const wheel of pkg.wheels ?? []) files.push(fileName(String(wheel.url ?? wheel.path ?? wheel.filename ?? '')));
      if (pkg.source && !pkg.source.registry && !pkg.source.url) hasSdist = true; // a path, git or editable source builds locally
    } else {
      for (const f of [...(pkg.files ?? []), ...(legacy?.[pkg.name] ?? [])]) files.push(fileName(String(f.file ?? f.url ?? '')));
      if (pkg.source && pkg.source.type && pkg.source.type !== 'legacy') hasSdist = true;
    }
    for (const f of files) if (/\.(tar\.gz|zip|tar\.bz2)$/.test(f)) hasSdist = true;
    out.push({ name: String(pkg.name), version: String(pkg.version ?? ''), files: files.filter((f) => f.endsWith('.whl')), hasSdist });
  }
  return out;
}

/** Wheels named by URL in requirements files (`pkg @ https://…/pkg-1.0-cp312-cp312-manylinux….whl`). */
function fromRequirements(tree: ProjectTree): { packages: LockedPackage[]; source?: string } {
  for (const path of REQUIREMENTS_CANDIDATES) {
    const text = tree.read(path);
    if (!text || !text.includes('.whl')) continue;
    const byName = new Map<string, LockedPackage>();
    for (const word of text.split(/[\s/#=@]+/)) {
      if (!word.endsWith('.whl')) continue;
      const [name, version] = word.split('-');
      const pkg = byName.get(name) ?? { name, version, files: [], hasSdist: false };
      pkg.files.push(word);
      byName.set(name, pkg);
    }
    return { packages: [...byName.values()], source: path };
  }
  return { packages: [] };
}

/** The minors a wheel installs on, in a Debian image (glibc, x86_64 or arm64); 'all' for a pure or abi3-from-anything wheel. */
function wheelMinors(file: string): string[] | 'all' | undefined {
  const parts = file.slice(0, -'.whl'.length).split('-');
  if (parts.length < 5) return undefined;
  const [py, abi, plat] = parts.slice(-3);
  const platforms = plat.split('.');
  if (!platforms.some((p) => p === 'any' || (/^(many)?linux/.test(p) && /(x86_64|aarch64)$/.test(p)))) return undefined;
  const minors = new Set<string>();
  for (const tag of py.split('.')) {
    if (/^py3\d*$/.test(tag) || /^py2\.?py3$/.test(tag)) return 'all';
    const m = /^cp3(\d+)$/.exec(tag);
    if (!m) continue;
    const from = Number(m[1]);
    if (abi.split('.').includes('abi3')) {
      for (const v of PYTHON_VERSIONS) if (Number(v.split('.')[1]) >= from) minors.add(v);
    } else if (abi.split('.').some((a) => a === `cp3${m[1]}`)) {
      minors.add(`3.${from}`);
    }
  }
  return [...minors];
}

/** What the locked wheels allow, or undefined when no locked package is binary-only. */
export function lockedWheels(tree: ProjectTree): WheelConstraint | undefined {
  let packages: LockedPackage[] = [];
  let source: string | undefined;
  for (const lock of ['uv.lock', 'poetry.lock', 'pdm.lock']) {
    if (!tree.has(lock)) continue;
    packages = fromToml(tree.toml(lock), lock);
    source = lock;
    break;
  }
  if (!source) ({ packages, source } = fromRequirements(tree));
  if (!source) return undefined;
  let allowed = [...PYTHON_VERSIONS];
  const limits: WheelConstraint['limits'] = [];
  for (const pkg of packages) {
    if (pkg.hasSdist || !pkg.files.length) continue;
    const minors = new Set<string>();
    let pure = false;
    for (const file of pkg.files) {
      const these = wheelMinors(file);
      if (these === 'all') pure = true;
      else for (const v of these ?? []) minors.add(v);
    }
    if (pure || !minors.size) continue;
    const sorted = PYTHON_VERSIONS.filter((v) => minors.has(v));
    if (allowed.some((v) => !minors.has(v))) limits.push({ name: pkg.name, version: pkg.version, minors: sorted });
    allowed = allowed.filter((v) => minors.has(v));
  }
  return limits.length ? { allowed, source, limits } : undefined;
}

/** "numpy 1.26.4 (wheels for 3.9–3.12)" for the packages that narrow the choice the most. */
export function describeLimits(constraint: WheelConstraint): string {
  const ranked = [...constraint.limits].sort((a, b) => (a.minors.at(-1) ?? '').localeCompare(b.minors.at(-1) ?? '', undefined, { numeric: true }));
  const shown = ranked.slice(0, 2).map((l) => `${l.name} ${l.version} (wheels for ${l.minors.length > 1 ? `${l.minors[0]}–${l.minors.at(-1)}` : (l.minors[0] ?? 'no supported Python')})`);
  return `${shown.join(', ')}${ranked.length > 2 ? ` and ${ranked.length - 2} more` : ''}, locked in ${constraint.source} with no source distribution`;
}
