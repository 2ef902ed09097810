/**
 * The .gitignore and .dockerignore rules the project walk follows, matched as git
 * does (the `ignore` package), the .dockerignore's first written as the .gitignore
 * lines Docker's reading of them amounts to. A rule is compiled only when a path could match it:
 * most lines of a .dockerignore (`**\/.venv`, `**\/*.pem`) name something the
 * project does not have, and compiling all of them was a tenth of a re-run's time.
 */
import { posix } from 'node:path';
import type { Ignore } from 'ignore';
import { gitignore } from '../lazy-dependencies.js';

interface Rule {
  line: string;
  /**
   * The literal texts a matching path holds, lowercased, one list per spelling (`*.py[cod]` has three);
   * undefined: it cannot be told (escapes, spaces).
   */
  spellings?: string[][];
}

/** More distinct rule sets than this, and every rule is compiled once instead. */
const MAX_MATCHERS = 32;

/** A bracket of letters and digits (`[cod]`) is spelled out; others (`[!a]`, `[a-z]`) match any one character. */
const SIMPLE_BRACKET = /\[([a-z0-9_.]+)\]/;

/**
 * What a path matching the rule (or a folder on its way) must hold: the rule's text between
 * its wildcards. `**\/a`, `a/**` and `a/**\/b` match `a` and `a/b` without the slashes they write.
 */
export function ruleSpellings(line: string): string[][] | undefined {
  // The walk and the collision check ask about the same .dockerignore lines.
  if (!spellingsOf.has(line)) spellingsOf.set(line, spell(line));
  return spellingsOf.get(line);
}

const spellingsOf = new Map<string, string[][] | undefined>();

function spell(line: string): string[][] | undefined {
  if (line !== line.trim() || line.includes('\\')) return undefined;
  let spelled = [line.replace(/^!/, '').replace(/^\//, '').toLowerCase()];
  for (;;) {
    const chars = [...(spelled[0]!.match(SIMPLE_BRACKET)?.[1] ?? '')];
    if (!chars.length || spelled.length * chars.length > 16) break;
    spelled = spelled.flatMap((text) => chars.map((c) => text.replace(SIMPLE_BRACKET, c)));
  }
  const pieces = spelled.map((text) =>
    text
      .split(/\*\*\/|\/\*\*|\*|\?|\[[^\]]*\]/)
      .map((piece) => piece.replace(/\/$/, ''))
      .filter(Boolean),
  );
  return pieces.some((each) => each.some((piece) => piece.includes('['))) ? undefined : pieces;
}

/**
 * A .dockerignore as .gitignore lines that match what Docker excludes: Docker anchors every pattern at the
 * context's root (`build` is `/build`, never `src/build`), trims spaces, and cleans a path as Go's
 * filepath.Clean does (`./build/` is `build`, a file as well as a folder). Not carried over: Docker lets
 * `!docs/README.md` bring back a file of an excluded `docs`, which git cannot; the walk skips it.
 */
export function dockerignoreAsGitignore(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      // A comment is a line that starts with `#`; ` #x` is a pattern.
      if (line.startsWith('#')) return '';
      let rule = line.trim();
      if (!rule) return '';
      const negated = rule.startsWith('!');
      if (negated) rule = rule.slice(1).trim();
      rule = posix.normalize(rule).replace(/^\/+/, '').replace(/\/+$/, '');
      if (!rule || rule === '.') return '';
      return `${negated ? '!' : ''}/${rule}`;
    })
    .join('\n');
}

export class IgnoreRules {
  private readonly rules: Rule[];
  private readonly matchers = new Map<string, Ignore>();
  private all?: Ignore;

  constructor(texts: string[]) {
    this.rules = texts
      .flatMap((text) => text.split(/\r?\n/))
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => ({ line, spellings: ruleSpellings(line) }));
  }

  /** Whether git would ignore this path (a folder ends in `/`), case-insensitively as `ignore` does. */
  ignores(path: string): boolean {
    const lower = path.toLowerCase();
    const asked: number[] = [];
    this.rules.forEach((rule, i) => {
      const may = (pieces: string[]) => pieces.every((piece) => lower.includes(piece));
      if (!rule.spellings || rule.spellings.some(may)) asked.push(i);
    });
    if (!asked.length) return false;
    if (this.all) return this.all.ignores(path);
    const key = asked.join(',');
    let matcher = this.matchers.get(key);
    if (!matcher) {
      const ignore = gitignore();
      if (this.matchers.size >= MAX_MATCHERS) {
        this.all = ignore().add(this.rules.map((rule) => rule.line));
        return this.all.ignores(path);
      }
      matcher = ignore().add(asked.map((i) => this.rules[i]!.line));
      this.matchers.set(key, matcher);
    }
    return matcher.ignores(path);
  }
}
