/**
 * The ejs templates, compiled once. `npm run build` compiles the package's own ahead of time into
 * dist/templates.cjs (scripts/bundle.js): compiling them on every run was a tenth of a re-run's time.
 * A template whose text differs from what was compiled (edited since the build, or another folder's)
 * is compiled here, so the result never depends on a stale build.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { ejs } from './lazy-dependencies.js';
import { packageRoot, templatesDir } from './package-root.js';

export type Template = (data: object) => string;

/** What scripts/bundle.js writes per template: its text, and ejs's function compiled with `client: true`. */
interface Compiled {
  source: string;
  render(data: object, escapeFn: (value: unknown) => string, include: (path: string, more?: object) => string): string;
}

let built: Record<string, Compiled> | undefined;
function compiledAhead(): Record<string, Compiled> {
  if (!built) {
    try {
      built = createRequire(import.meta.url)(join(packageRoot, 'dist', 'templates.cjs')) as Record<string, Compiled>;
    } catch {
      built = {}; // not built (tests on sources): every template compiles here
    }
  }
  return built;
}

/** Whether `name` (relative to templates/) renders from the build's compiled function. */
export function compiledAtBuild(name: string): boolean {
  return compiledAhead()[name]?.source === readFileSync(join(templatesDir, name), 'utf8');
}

const cache = new Map<string, Template>();

/** A template of `dir` (templates/ by default), by its path relative to it. */
export function template(name: string, dir = templatesDir): Template {
  const key = join(dir, name);
  let fn = cache.get(key);
  if (!fn) {
    const text = readFileSync(key, 'utf8');
    const ahead = dir === templatesDir ? compiledAhead()[name] : undefined;
    if (ahead?.source === text) {
      // ejs's include(): a path relative to the including template, its data over the caller's.
      const include = (data: object) => (path: string, more?: object) =>
        template(normalize(join(dirname(name), path)), dir)({ ...data, ...more });
      fn = (data) => ahead.render(data, String, include(data));
    } else {
      // Docker files are not HTML: no entity escaping. Values are made safe where they are built.
      fn = ejs().compile(text, { filename: key, escape: String });
    }
    cache.set(key, fn);
  }
  return fn;
}
