/**
 * The project's Python version, from the first file that states one:
 * .python-version, runtime.txt, .tool-versions / mise.toml, Pipfile,
 * pyproject.toml (requires-python or Poetry's python), uv.lock.
 */
import { DEFAULT_PYTHON, PYTHON_VERSIONS } from '../versions.js';
import { tomlOf } from './dependencies.js';
import type { ProjectTree } from './project-tree.js';

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
export function newestInRange(spec: string): string | undefined {
  const allowed = PYTHON_VERSIONS.filter((v) => minorSatisfies(spec, v));
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

function candidates(tree: ProjectTree): Candidate[] {
  const out: Candidate[] = [];
  const pythonVersion = tree.read('.python-version');
  if (pythonVersion !== undefined) {
    const line = pythonVersion.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
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
  const mise = tomlOf(tree, 'mise.toml') ?? tomlOf(tree, '.mise.toml');
  const miseTool = mise?.tools?.python;
  if (miseTool !== undefined) {
    const first = Array.isArray(miseTool) ? miseTool[0] : typeof miseTool === 'object' ? miseTool.version : miseTool;
    out.push({ source: tree.has('mise.toml') ? 'mise.toml' : '.mise.toml', raw: String(first), minor: minorOf(String(first)) });
  }
  const pipfile = tomlOf(tree, 'Pipfile');
  const pipfilePython = pipfile?.requires?.python_version ?? pipfile?.requires?.python_full_version;
  if (pipfilePython !== undefined) out.push({ source: 'Pipfile', raw: String(pipfilePython), minor: minorOf(String(pipfilePython)) });
  const pyproject = tomlOf(tree, 'pyproject.toml');
  const requires = pyproject?.project?.['requires-python'];
  if (typeof requires === 'string') out.push({ source: 'pyproject.toml (requires-python)', raw: requires, range: requires });
  const poetryPython = pyproject?.tool?.poetry?.dependencies?.python;
  if (typeof poetryPython === 'string') out.push({ source: 'pyproject.toml (tool.poetry)', raw: poetryPython, range: poetryPython });
  const lockRange = /^requires-python\s*=\s*"([^"]*)"/m.exec(tree.read('uv.lock') ?? '')?.[1];
  if (lockRange) out.push({ source: 'uv.lock', raw: lockRange, range: lockRange });
  return out;
}

/** The first usable version, and warnings about any unusable one met before it. */
export function detectPythonVersion(tree: ProjectTree): { found?: Found<string>; warnings: string[] } {
  const warnings: string[] = [];
  for (const candidate of candidates(tree)) {
    const minor = candidate.minor ?? (candidate.range !== undefined ? newestInRange(candidate.range) : undefined);
    if (minor && PYTHON_VERSIONS.includes(minor)) return { found: { value: minor, source: candidate.source }, warnings };
    warnings.push(
      minor && compare(parseVersion(minor), parseVersion(PYTHON_VERSIONS[0])) < 0
        ? `${candidate.source} asks for Python ${candidate.raw}, older than the oldest with an official image (${PYTHON_VERSIONS[0]}); not used`
        : `${candidate.source} states Python "${candidate.raw}", which no supported image (${PYTHON_VERSIONS[0]}–${PYTHON_VERSIONS.at(-1)}) matches; not used`,
    );
  }
  return { warnings };
}
