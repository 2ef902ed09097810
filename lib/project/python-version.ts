/**
 * The project's Python version, from the first file that states one:
 * .python-version, runtime.txt, .tool-versions / mise.toml, a version a package manager's
 * manifest states, an existing Dockerfile, pyproject.toml's requires-python, then the ranges the
 * managers' manifests and locks state (their plugins' `python`).
 */
import { DEFAULT_PYTHON, PYTHON_VERSIONS } from '../versions.js';
import { packageManagerSpecs } from '../package-managers/index.js';
import type { ProjectTree } from './project-tree.js';
import { decidingPackage, lockedWheels, type LockedSet } from './wheels.js';
import { shown } from '../terminal-text.js';

export interface Found<T> {
  value: T;
  /** Where it came from, for "Python 3.12 from .python-version". */
  source: string;
}

type Version = number[];

const parseVersion = (text: string): Version => text.split('.').map((p) => Number(p));

function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** One clause of a specifier: `>=3.9`, `==3.11.*`, `~=3.10`, Poetry's `^3.10`, `~3.10`, or a bare `3.11`. */
function clauseMatches(clause: string, v: Version): boolean {
  const m = /^(===|==|!=|~=|>=|<=|>|<|\^|~)?\s*v?([\d.]+)(\.\*)?$/.exec(clause.trim());
  if (!m) return true; // unknown syntax narrows nothing
  const [, op = '==', text, wildcard] = m;
  const target = parseVersion(text);
  const prefixEqual = () => target.every((n, i) => v[i] === n);
  switch (op) {
    case '==':
    case '===':
      return wildcard || !m[1] ? prefixEqual() : compare(v, target) === 0;
    case '!=':
      return wildcard ? !prefixEqual() : compare(v, target) !== 0;
    case '>=':
      return compare(v, target) >= 0;
    case '<=':
      return compare(v, target) <= 0;
    case '>':
      return compare(v, target) > 0;
    case '<':
      return compare(v, target) < 0;
    case '~=': {
      // ~=3.10 means >=3.10, ==3.*; ~=3.10.2 means >=3.10.2, ==3.10.*
      const prefix = target.slice(0, Math.max(1, target.length - 1));
      return compare(v, target) >= 0 && prefix.every((n, i) => v[i] === n);
    }
    case '^': {
      // Poetry: ^3.10 means >=3.10,<4.0
      const upper = [target[0] + 1];
      return compare(v, target) >= 0 && compare(v, upper) < 0;
    }
    case '~': {
      // Poetry: ~3.10 means >=3.10,<3.11
      const upper = target.length > 1 ? [target[0], target[1] + 1] : [target[0] + 1];
      return compare(v, target) >= 0 && compare(v, upper) < 0;
    }
  }
  return true;
}

/** Whether some release of minor `x.y` satisfies the specifier (`,`/space = and, `||` = or). */
export function minorSatisfies(spec: string, minor: string): boolean {
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === '*') return true;
  return trimmed.split('||').some((alternative) => {
    const clauses = alternative.split(/,|\s+(?=[<>=!~^\d])/).filter((c) => c.trim());
    for (let patch = 0; patch < 100; patch++) {
      const v = [...parseVersion(minor), patch];
      if (clauses.every((c) => clauseMatches(c, v))) return true;
    }
    return false;
  });
}

/**
 * The version to build a range on: the newest supported minor up to the default
 * (a just-released Python often lacks wheels), or the newest the range allows above it.
 */
export function newestInRange(spec: string, among: readonly string[] = PYTHON_VERSIONS): string | undefined {
  return newestOf(among.filter((v) => minorSatisfies(spec, v)));
}

function newestOf(allowed: readonly string[]): string | undefined {
  const upToDefault = allowed.filter((v) => compare(parseVersion(v), parseVersion(DEFAULT_PYTHON)) <= 0);
  return upToDefault.at(-1) ?? allowed.at(-1);
}

/** `3.12`, `3.12.4`, `python-3.12.4`, `cpython-3.12` → `3.12`. */
function minorOf(text: string): string | undefined {
  const m = /^(?:c?python-?)?(\d+)\.(\d+)(?:\.\d+)?(?:[a-z]+\d*)?$/i.exec(text.trim());
  return m ? `${m[1]}.${m[2]}` : undefined;
}

interface Candidate {
  source: string;
  /** As written, for warnings. */
  raw: string;
  /** An exact minor, or a range to take the newest supported minor from. */
  minor?: string;
  range?: string;
}

/**
 * The Python a FROM line names: `python:3.12-slim` (or `ARG PYTHON_VERSION=3.12` feeding
 * `python:${PYTHON_VERSION}`), and images that carry it in the tag: `ghcr.io/astral-sh/uv:python3.12-bookworm-slim`,
 * `mcr.microsoft.com/devcontainers/python:3.12` (or `:1-3.12-bookworm`).
 */
function dockerfilePython(text: string): { minor: string; image: string } | undefined {
  const args = new Map<string, string>();
  for (const line of text.split('\n')) {
    const arg = /^[ \t]*ARG[ \t]+(\w+)=["']?([^"'\s]+)/i.exec(line);
    if (arg) args.set(arg[1], arg[2]);
    const from = /^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*(\S+)/i.exec(line);
    if (!from) continue;
    const ref = from[1].replace(/\$\{?(\w+)\}?/g, (_, name: string) => args.get(name) ?? '').split('@')[0];
    const colon = ref.lastIndexOf(':');
    if (colon < ref.lastIndexOf('/') || colon < 0) continue;
    const [name, tag] = [ref.slice(0, colon), ref.slice(colon + 1)];
    // `…/python:1-3.12-bookworm` names it first in the tag; other images as `python3.12` within it.
    const inTag = /(?:^|\/)python$/.test(name) ? /^(?:\d+-)?(\d+\.\d+)/ : /(?:^|[-_])python-?(\d+\.\d+)/;
    const minor = inTag.exec(tag)?.[1];
    if (!minor) continue;
    const official = /^(?:docker\.io\/)?(?:library\/)?python$/.test(name);
    return { minor, image: official ? `python:${minor}` : ref };
  }
  return undefined;
}

function candidates(tree: ProjectTree, generated: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  const pythonVersion = tree.read('.python-version');
  if (pythonVersion !== undefined) {
    const line = pythonVersion
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('#'));
    if (line) out.push({ source: '.python-version', raw: line, minor: minorOf(line) });
  }
  const runtime = tree.read('runtime.txt');
  if (runtime !== undefined) out.push({ source: 'runtime.txt', raw: runtime.trim(), minor: minorOf(runtime.trim()) });
  const toolVersions = tree.read('.tool-versions');
  const toolLine = toolVersions?.split('\n').find((l) => /^python\s/.test(l.trim()));
  if (toolLine) {
    const raw = toolLine.trim().split(/\s+/)[1] ?? '';
    out.push({ source: '.tool-versions', raw, minor: minorOf(raw) });
  }
  const mise = tree.toml('mise.toml') ?? tree.toml('.mise.toml');
  const miseTool = mise?.tools?.python;
  if (miseTool !== undefined) {
    const first = Array.isArray(miseTool) ? miseTool[0] : typeof miseTool === 'object' ? miseTool.version : miseTool;
    out.push({
      source: tree.has('mise.toml') ? 'mise.toml' : '.mise.toml',
      raw: String(first),
      minor: minorOf(String(first)),
    });
  }
  // The managers' files: a version they state comes here; a range, after requires-python (a lock's last).
  const stated = packageManagerSpecs().flatMap((spec) => (spec.python?.(tree) ?? []).map((p) => ({ spec, ...p })));
  for (const p of stated.filter((p) => !p.range)) out.push({ source: p.source, raw: p.raw, minor: minorOf(p.raw) });
  if (!generated.has('Dockerfile')) {
    const fromDockerfile = dockerfilePython(tree.read('Dockerfile') ?? '');
    if (fromDockerfile) {
      const { image, minor } = fromDockerfile;
      out.push({ source: `Dockerfile (FROM ${image})`, raw: minor, minor });
    }
  }
  const pyproject = tree.toml('pyproject.toml');
  const requires = pyproject?.project?.['requires-python'];
  if (typeof requires === 'string')
    out.push({ source: 'pyproject.toml (requires-python)', raw: requires, range: requires });
  const ranges = stated.filter((p) => p.range);
  const fromLock = (p: (typeof ranges)[number]) => p.source === p.spec.lock;
  for (const p of [...ranges.filter((p) => !fromLock(p)), ...ranges.filter(fromLock)])
    out.push({ source: p.source, raw: p.raw, range: p.raw });
  return out;
}

/**
 * The first usable version, and warnings about any unusable one met before it. A range is
 * narrowed to the versions every runtime package has a Linux wheel for (from the lock, or the
 * index's answer for pinned requirements: `indexed`); so is the default when nothing states a
 * version. An exact version is kept: what compiles for it is said when the files are planned.
 */
export function detectPythonVersion(
  tree: ProjectTree,
  generated: ReadonlySet<string> = new Set(),
  indexed?: LockedSet,
): { found?: Found<string>; warnings: string[] } {
  const warnings: string[] = [];
  const wheels = lockedWheels(tree, indexed);
  for (const candidate of candidates(tree, generated)) {
    if (candidate.minor === undefined && candidate.range !== undefined) {
      const inRange = newestInRange(candidate.range);
      const withWheels = wheels ? newestInRange(candidate.range, wheels.allowed) : inRange;
      if (withWheels && wheels && inRange && withWheels !== inRange) {
        // "pyproject.toml >=3.11; uv.lock: pydantic-core 2.33.2 has wheels up to 3.13"
        const file = candidate.source.replace(/ \(.*\)$/, '');
        const newer = (v: string) => compare(parseVersion(v), parseVersion(withWheels)) > 0;
        const above = PYTHON_VERSIONS.filter((v) => minorSatisfies(candidate.range!, v) && newer(v));
        const why = decidingPackage(wheels, above[0] ?? inRange);
        return { found: { value: withWheels, source: `${file} ${candidate.raw}; ${why}` }, warnings };
      }
      if (withWheels) return { found: { value: withWheels, source: candidate.source }, warnings };
      if (inRange && wheels) {
        warnings.push(
          `${candidate.source} allows Python ${shown(candidate.raw, 40)}, but no version in it has wheels ` +
            `for every locked package (${decidingPackage(wheels, inRange)}); using ${inRange} anyway`,
        );
        return { found: { value: inRange, source: candidate.source }, warnings };
      }
    }
    const minor = candidate.minor;
    if (minor && PYTHON_VERSIONS.includes(minor)) {
      return { found: { value: minor, source: candidate.source }, warnings };
    }
    if (minor === undefined && candidate.range !== undefined) {
      warnings.push(
        `${candidate.source} states Python "${shown(candidate.raw, 40)}", ` +
          `which no supported image (${PYTHON_VERSIONS[0]}–${PYTHON_VERSIONS.at(-1)}) matches; not used`,
      );
      continue;
    }
    warnings.push(
      minor && compare(parseVersion(minor), parseVersion(PYTHON_VERSIONS[0])) < 0
        ? `${candidate.source} asks for Python ${shown(candidate.raw, 40)}, ` +
            `older than the oldest with an official image (${PYTHON_VERSIONS[0]}); not used`
        : `${candidate.source} states Python "${shown(candidate.raw, 40)}", ` +
            `which no supported image (${PYTHON_VERSIONS[0]}–${PYTHON_VERSIONS.at(-1)}) matches; not used`,
    );
  }
  const fromWheels = wheels && newestOf(wheels.allowed);
  if (wheels && fromWheels && fromWheels !== DEFAULT_PYTHON) {
    const above = PYTHON_VERSIONS.filter((v) => compare(parseVersion(v), parseVersion(fromWheels)) > 0);
    return { found: { value: fromWheels, source: decidingPackage(wheels, above[0] ?? DEFAULT_PYTHON) }, warnings };
  }
  if (wheels && !fromWheels) {
    const why = decidingPackage(wheels, DEFAULT_PYTHON);
    warnings.push(`no supported Python has wheels for every locked package: ${why}`);
  }
  return { warnings };
}

/** The newest Python, up to the default, on which every runtime package installs from a wheel. */
export function newestWithWheels(allowed: readonly string[]): string | undefined {
  return newestOf(allowed);
}
