/**
 * Generic finders the framework plugins share: the files likely to hold an app, and an app object
 * (an assignment of a framework's class, any variable name, or a factory that builds one).
 * They read files; they never run them.
 */
import { moduleOf as moduleUnder, sourceFolders } from '../project/modules.js';
import type { ProjectTree } from '../project/project-tree.js';
import type { FoundEntrypoint } from './plugin.js';

/** Top-level packages (folders with Python files) at the root and in the source folders (src/, declared ones). */
export function packages(tree: ProjectTree): string[] {
  const dirs = new Set<string>();
  const sources = sourceFolders(tree);
  for (const file of tree.files) {
    const parts = file.split('/');
    if (!file.endsWith('.py')) continue;
    if (parts.length === 2 && parts[0] !== 'tests' && parts[0] !== 'test') dirs.add(parts[0]);
    for (const source of sources) {
      const rest = file.startsWith(`${source}/`) ? file.slice(source.length + 1).split('/') : [];
      if (rest.length === 2) dirs.add(`${source}/${rest[0]}`);
    }
  }
  return [...dirs].filter((d) => !sources.includes(d)).sort();
}

const APP_FILE_NAMES = [
  'main.py',
  'app.py',
  'api.py',
  'server.py',
  'application.py',
  'asgi.py',
  'wsgi.py',
  'run.py',
  '__init__.py',
];

/** Files most likely to hold the app, most likely first. */
export function appCandidates(tree: ProjectTree): string[] {
  const out: string[] = [];
  const push = (path: string) => tree.has(path) && !out.includes(path) && out.push(path);
  for (const name of APP_FILE_NAMES) push(name);
  for (const dir of ['app', ...packages(tree).filter((d) => d !== 'app')])
    for (const name of APP_FILE_NAMES) push(`${dir}/${name}`);
  for (const name of APP_FILE_NAMES) push(`src/${name}`);
  // Anything else, shallow first.
  for (const file of tree.files) if (file.endsWith('.py') && !/(^|\/)(tests?|migrations)\//.test(file)) push(file);
  return out;
}

/** `src/shop/api/main.py` → `shop.api.main` (the source folder is put on the path); `app/__init__.py` → `app`. */
export function moduleOf(tree: ProjectTree, file: string): string {
  return moduleUnder(file, sourceFolders(tree));
}

const VALID_MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** `def name(` at module level, with the lines of its body. */
function functionBodies(text: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  let current: { name: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const def = /^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/.exec(line);
    if (def) {
      if (current) out.push({ name: current.name, body: current.lines.join('\n') });
      current = { name: def[1], lines: [] };
    } else if (current && /^[^\s#)@]/.test(line)) {
      out.push({ name: current.name, body: current.lines.join('\n') });
      current = undefined;
    } else if (current) {
      current.lines.push(line);
    }
  }
  if (current) out.push({ name: current.name, body: current.lines.join('\n') });
  return out;
}

const FACTORY_NAMES = ['create_app', 'make_app', 'get_app', 'app_factory', 'create_application', 'get_application'];

const rank = (name: string) => (FACTORY_NAMES.includes(name) ? FACTORY_NAMES.indexOf(name) : FACTORY_NAMES.length);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The app object of a framework whose app is an instance of `className` imported from package `from`
 * (`FastAPI` from fastapi): a module-level assignment, any variable name; else `app = build()` where
 * build() constructs one; else a factory the server calls (`create_app()`).
 */
export function findAppObject(tree: ProjectTree, className: string, from: string): FoundEntrypoint | undefined {
  // A module-level assignment of the class itself, any variable name, optionally annotated:
  // `api: FastAPI = FastAPI(...)`; chained, the first name: `app = application = falcon.App()`.
  const assignment = new RegExp(
    `^([A-Za-z_]\\w*)[ \\t]*(?::[^=\\n]+)?=[ \\t]*(?:[A-Za-z_]\\w*[ \\t]*=[ \\t]*)*(?:\\w+\\.)?${className}[ \\t]*\\(`,
    'm',
  );
  const constructs = new RegExp(`\\b${className}[ \\t]*\\(`);
  const pkg = escapeRegExp(from);
  const importRe = new RegExp(`^[ \\t]*(?:from[ \\t]+${pkg}[ \\t.]|import[ \\t]+${pkg}\\b)`, 'm');
  const files = appCandidates(tree).filter((file) => VALID_MODULE.test(moduleOf(tree, file)));
  // Functions that build the app (`def get_application(): app = FastAPI(…); …; return app`), by name.
  const builders = new Map<string, string>();
  for (const file of files) {
    const text = tree.read(file);
    if (!text || !importRe.test(text)) continue;
    for (const fn of functionBodies(text))
      if (constructs.test(fn.body) && !builders.has(fn.name)) builders.set(fn.name, file);
  }
  const built = builders.size
    ? new RegExp(
        `^([A-Za-z_]\\w*)[ \\t]*(?::[^=\\n]+)?=[ \\t]*(?:\\w+\\.)?(${[...builders.keys()].join('|')})[ \\t]*\\(`,
        'm',
      )
    : undefined;
  for (const file of files) {
    const text = tree.read(file);
    if (!text) continue;
    const module = moduleOf(tree, file);
    const assigned = importRe.test(text) ? assignment.exec(text) : null;
    if (assigned)
      return {
        entrypoint: `${module}:${assigned[1]}`,
        source: `${className}(…) assigned to ${assigned[1]} in ${file}`,
      };
    const made = built?.exec(text);
    if (made) {
      return {
        entrypoint: `${module}:${made[1]}`,
        source: `${made[1]} = ${made[2]}() in ${file}, which builds ${className}(…) in ${builders.get(made[2])}`,
      };
    }
  }
  // No app object at module level: a factory the server calls.
  const factory = [...builders].sort(([a], [b]) => rank(a) - rank(b))[0];
  if (factory)
    return {
      entrypoint: `${moduleOf(tree, factory[1])}:${factory[0]}()`,
      source: `app factory ${factory[0]}() in ${factory[1]}`,
    };
  return undefined;
}
