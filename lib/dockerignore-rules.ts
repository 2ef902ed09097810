/**
 * The .dockerignore as Docker reads it, through @balena/dockerignore (a port of Docker's
 * own matcher): project paths written as literal patterns, and the rules that would cut
 * from the build context a file the image needs.
 */
import { dockerignore } from './lazy-dependencies.js';
import { ruleSpellings } from './project/ignore-rules.js';
import { hasControl } from './terminal-text.js';

/** A matcher for .dockerignore text, case-sensitive as Docker is on Linux. */
export function dockerignoreMatcher(text: string): { ignores(path: string): boolean } {
  return dockerignore()({ ignorecase: false }).add(text);
}

/**
 * A project path as a .dockerignore line matching exactly it: `* ? [ ] \` escaped, a leading
 * `#` (a comment) or `!` (an exception) escaped, and what a line cannot hold — a control
 * character, spaces at either end, which Docker trims — matched by `?` (any one character).
 */
export function dockerignoreLiteral(path: string): string {
  const escaped = [...path].map((c) => (/[*?[\]\\]/.test(c) ? `\\${c}` : hasControl(c) ? '?' : c)).join('');
  return escaped.replace(/^\s+|\s+$/g, (m) => '?'.repeat(m.length)).replace(/^[#!]/, (c) => `\\${c}`);
}

/**
 * The files of `keep` a .dockerignore excludes. Asking the matcher about each of 20,000 files
 * takes seconds, so each folder is asked once, and a file below the root only by its name
 * against the `**\/name` rules (all a file-level rule can be there); a file at the root whole.
 */
function excluded(text: string, rules: string[], keep: readonly string[]): string[] {
  const all = dockerignoreMatcher(text);
  const byName = dockerignoreMatcher(rules.filter((r) => /^\*\*\/[^/]+$/.test(r)).join('\n'));
  const memo = new Map<string, boolean>();
  const ask = (key: string, matcher: typeof all, path: string) => {
    if (!memo.has(key)) memo.set(key, matcher.ignores(path));
    return memo.get(key)!;
  };
  const dirExcluded = (dir: string): boolean => {
    const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
    return (parent !== '' && dirExcluded(parent)) || ask(`d:${dir}`, all, dir);
  };
  return keep.filter((file) => {
    const slash = file.lastIndexOf('/');
    if (slash < 0) return all.ignores(file);
    const name = file.slice(slash + 1);
    return dirExcluded(file.slice(0, slash)) || ask(`n:${name}`, byName, name);
  });
}

export interface Collision {
  /** The rule that would exclude it. */
  rule: string;
  /** The first file of `keep` it would exclude. */
  file: string;
  /** What an exception brings back: the outermost excluded folder holding the file, or the file. */
  kept: string;
}

/**
 * Whether a rule could match one of the paths or a folder on their way. A literal rule (most of ours:
 * `**\/.venv`, `.git`) is answered by comparing names, a pattern (`**\/*.pem`) by the text between its
 * wildcards, so only the rules that may match are compiled: compiling every rule's pattern was a tenth
 * of a re-run's time. Anything unusual is asked of the matcher.
 */
function mayMatch(rule: string, keep: readonly string[], names: ReadonlySet<string>): boolean {
  const body = rule.replace(/^!/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const literal = body.startsWith('**/') ? body.slice(3) : body;
  if (rule !== rule.trim() || literal === '' || /(^|\/)\.\.?(\/|$)|\/\//.test(literal)) return true;
  if (/[*?[\]\\]/.test(literal)) {
    // A pattern: a path it matches holds the text between its wildcards.
    const spellings = ruleSpellings(rule);
    const holds = (path: string) => spellings!.some((pieces) => pieces.every((piece) => path.includes(piece)));
    return !spellings || keep.some((p) => holds(p.toLowerCase()));
  }
  if (body.startsWith('**/')) {
    return literal.includes('/') ? keep.some((p) => `/${p}/`.includes(`/${literal}/`)) : names.has(literal);
  }
  return keep.some((p) => p === literal || p.startsWith(`${literal}/`));
}

/** The rules of a .dockerignore that exclude one of `keep`; and what to bring back, for every such file. */
export function collisions(text: string, keep: readonly string[]): { rules: Collision[]; kept: string[] } {
  const names = new Set(keep.flatMap((p) => p.split('/')));
  const rules = text
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .filter((rule) => mayMatch(rule, keep, names));
  if (!rules.length) return { rules: [], kept: [] };
  const asked = rules.join('\n');
  const hit = excluded(asked, rules, keep);
  if (!hit.length) return { rules: [], kept: [] };
  const all = dockerignoreMatcher(asked);
  const keptOf = (file: string) => {
    const parts = file.split('/');
    for (let n = 1; n < parts.length; n++)
      if (all.ignores(parts.slice(0, n).join('/'))) return parts.slice(0, n).join('/');
    return file;
  };
  const found: Collision[] = [];
  for (const rule of rules) {
    const one = dockerignoreMatcher(rule);
    const file = hit.find((f) => one.ignores(f));
    if (file) found.push({ rule, file, kept: keptOf(file) });
  }
  return { rules: found, kept: [...new Set(hit.map(keptOf))].sort() };
}

/**
 * Exceptions (`!path`) after every rule, for what the image needs: the rule goes on keeping
 * out every other match (a `secrets/` folder elsewhere), and only this code comes back.
 */
export function withExceptions(text: string, kept: readonly string[]): string {
  if (!kept.length) return text;
  const lines = kept.map((path) => `!${dockerignoreLiteral(path)}`);
  return (
    `${text.replace(/\n*$/, '\n')}\n# The project's own code, which a rule above would leave out.\n` +
    `${lines.join('\n')}\n`
  );
}
