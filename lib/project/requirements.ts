/**
 * Reading pip requirements files: the distributions they name (to tell a
 * user whose file lacks the server the CMD runs) and the files they include
 * with -r / -c (which the install step must be able to see).
 */
import { posix } from 'node:path';
import { versions } from '../versions.js';
import type { ProjectTree } from './project-tree.js';

export interface RequirementsFile {
  /** Normalised distribution names (PEP 503), with the extras asked for. */
  packages: Map<string, Set<string>>;
  /** Paths given to -r/--requirement and -c/--constraint, as written. */
  includes: string[];
  /** Of those, the ones given to -r/--requirement (installed, not only constraining). */
  requires: string[];
  /** The logical lines: continuations joined, comments and blank lines dropped. */
  lines: string[];
  /** Local paths and editable installs (`.`, `-e ./lib`): not visible before the source is copied. */
  localPaths: string[];
}

/** PEP 503 normalisation: `Flask_Cors` and `flask-cors` are the same distribution. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/;
const INCLUDE_RE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)/;

export function parseRequirements(text: string): RequirementsFile {
  const result: RequirementsFile = { packages: new Map(), includes: [], requires: [], lines: [], localPaths: [] };
  // Backslash continuations join lines; a comment starts at '#' preceded by whitespace or at line start.
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const rawLine of lines) {
    const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    result.lines.push(line);
    const include = INCLUDE_RE.exec(line);
    if (include) {
      result.includes.push(include[1]);
      if (/^(?:-r|--requirement)\b/.test(line)) result.requires.push(include[1]);
      continue;
    }
    const editable = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/.exec(line);
    if (editable) {
      if (!/^[a-z+]+:\/\//i.test(editable[1])) result.localPaths.push(editable[1]);
      continue;
    }
    if (line.startsWith('-')) continue; // --index-url, --hash, -f …
    if (/^(\.|\/|file:)/.test(line)) {
      result.localPaths.push(line.split(/[\s;]/)[0]);
      continue;
    }
    const m = NAME_RE.exec(line);
    if (!m) continue;
    const name = normaliseName(m[1]);
    const extras = result.packages.get(name) ?? new Set<string>();
    for (const extra of (m[2] ?? '').split(',')) if (extra.trim()) extras.add(normaliseName(extra.trim()));
    result.packages.set(name, extras);
  }
  return result;
}

type Extras = ReadonlySet<string> | { extras: ReadonlySet<string> };

/** Whether `wanted` is installed by these requirements: directly, or through an extra listed in versions.json. */
export function provides(packages: ReadonlyMap<string, Extras>, wanted: string): boolean {
  if (packages.has(wanted)) return true;
  return (versions.providedBy[wanted] ?? []).some((requirement) => {
    const [name, extra] = requirement.replace(']', '').split('[');
    const declared = packages.get(name);
    const extras = declared && 'extras' in declared ? declared.extras : (declared as ReadonlySet<string> | undefined);
    return extras?.has(extra) ?? false;
  });
}

/** An include path relative to the project root, or undefined when it leaves the project. */
export function includePath(fromFile: string, include: string): string | undefined {
  if (include.startsWith('/') || /^[a-z+]+:\/\//i.test(include)) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), include));
  return joined.startsWith('..') ? undefined : joined;
}

/** requirements files, in the order pip projects name the one to install. */
export const REQUIREMENTS_CANDIDATES = [
  'requirements.txt',
  'requirements/production.txt',
  'requirements/prod.txt',
  'requirements/base.txt',
  'requirements/main.txt',
  'requirements/common.txt',
];

/**
 * The one walk over requirements files and their includes: from `starts`, each file once, breadth first.
 * `next` says which files a visited one leads to (its -r/-c targets, as the caller follows them); `missing`
 * is told of a file that cannot be read (it may throw), which is then left out.
 */
export function walkRequirements(
  tree: ProjectTree,
  starts: string[],
  next: (path: string, parsed: RequirementsFile) => string[],
  missing?: (path: string, from: string | undefined) => void,
): { path: string; parsed: RequirementsFile }[] {
  const visited: { path: string; parsed: RequirementsFile }[] = [];
  const seen = new Set<string>();
  const queue: [string, string | undefined][] = starts.map((path) => [path, undefined]);
  while (queue.length) {
    const [path, from] = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const parsed = tree.parsed(path, parseRequirements);
    if (parsed === undefined) {
      missing?.(path, from);
      continue;
    }
    visited.push({ path, parsed });
    for (const target of next(path, parsed)) queue.push([target, path]);
  }
  return visited;
}
