/**
 * The .dockerignore as Docker reads it, through @balena/dockerignore (a port of Docker's
 * own matcher): project paths written as literal patterns, and the rules that would cut
 * from the build context a file the image needs.
 */
import dockerignoreModule from '@balena/dockerignore';
import { hasControl } from './terminal-text.js';

// A CommonJS module: at run time its export is the factory itself.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

/** A matcher for .dockerignore text, case-sensitive as Docker is on Linux. */
export function dockerignoreMatcher(text: string): { ignores(path: string): boolean } {
  return dockerignore({ ignorecase: false }).add(text);
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

/** The rules of a .dockerignore that exclude one of `keep`, each with the first such file. */
export function collidingRules(text: string, keep: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const all = dockerignoreMatcher(text);
  const hit = keep.filter((file) => all.ignores(file));
  if (!hit.length) return found;
  const rules = text.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
  for (const rule of rules) {
    const one = dockerignoreMatcher(rule);
    const file = hit.find((f) => one.ignores(f));
    if (file) found.set(rule, file);
  }
  return found;
}

/** The text without those rule lines. */
export function withoutRules(text: string, rules: ReadonlyMap<string, string>): string {
  return text
    .split('\n')
    .filter((line) => !rules.has(line))
    .join('\n');
}
