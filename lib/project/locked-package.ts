/**
 * One package as a lock lists it: its name, version, wheel files, whether it has an sdist, and the Python
 * minors its markers install it on. The helpers each manager's lock reader shares (lib/package-managers/).
 */
import { PYTHON_VERSIONS } from '../versions.js';

export interface LockedPackage {
  name: string;
  version: string;
  /** Wheel file names. */
  wheels: string[];
  hasSdist: boolean;
  /** The Python minors it is installed on (environment markers); undefined: every one. */
  on?: Set<string>;
}

const SDIST = /\.(tar\.gz|zip|tar\.bz2)$/;
const fileName = (url: string) =>
  url
    .split(/[/#?]/)
    .filter(Boolean)
    .reverse()
    .find((p) => p.endsWith('.whl') || SDIST.test(p)) ?? '';
export const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

const versionParts = (text: string) => text.split('.').map((p) => Number.parseInt(p, 10) || 0);
export function compareVersions(a: string, b: string): number {
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

export const minorsWhere = (marker: string | undefined) =>
  new Set(PYTHON_VERSIONS.filter((v) => markerAllows(marker, v)));

export function packageOf(pkg: Record<string, any>, files: string[], sdist: boolean, on?: Set<string>): LockedPackage {
  const names = files.map(fileName);
  return {
    name: normalise(String(pkg.name)),
    version: String(pkg.version ?? ''),
    wheels: names.filter((f) => f.endsWith('.whl')),
    hasSdist: sdist || names.some((f) => SDIST.test(f)),
    on,
  };
}
