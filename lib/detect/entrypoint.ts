/**
 * Finding what the server should load, by reading likely files (never running
 * them): the FastAPI or Flask app object or factory, the Django project's WSGI
 * application, the Streamlit script, a plain script; and a port where the code
 * or a Procfile states one.
 */
import type { Framework } from '../frameworks/index.js';
import { moduleOf as moduleUnder, sourceFolders } from '../project/modules.js';
import type { ProjectTree } from '../project/project-tree.js';

export interface FoundEntrypoint {
  entrypoint: string;
  source: string;
}

/** Top-level packages (folders with Python files) at the root and in the source folders (src/, declared ones). */
function packages(tree: ProjectTree): string[] {
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
function appCandidates(tree: ProjectTree): string[] {
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

function findAppObject(tree: ProjectTree, className: 'FastAPI' | 'Flask'): FoundEntrypoint | undefined {
  // A module-level assignment of the class itself, any variable name, optionally annotated:
  // `api: FastAPI = FastAPI(...)`.
  const assignment = new RegExp(`^([A-Za-z_]\\w*)[ \\t]*(?::[^=\\n]+)?=[ \\t]*(?:\\w+\\.)?${className}[ \\t]*\\(`, 'm');
  const constructs = new RegExp(`\\b${className}[ \\t]*\\(`);
  const importRe = new RegExp(
    `^[ \\t]*(?:from[ \\t]+${className.toLowerCase()}[ \\t.]|import[ \\t]+${className.toLowerCase()}\\b)`,
    'm',
  );
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

const rank = (name: string) => (FACTORY_NAMES.includes(name) ? FACTORY_NAMES.indexOf(name) : FACTORY_NAMES.length);

/** manage.py at the root or one folder down, and the folder it sits in. */
function managePy(tree: ProjectTree): { file: string; root: string } | undefined {
  const file = tree.files.find((f) => f === 'manage.py') ?? tree.files.find((f) => /^[^/]+\/manage\.py$/.test(f));
  return file ? { file, root: file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '' } : undefined;
}

function findDjango(tree: ProjectTree): FoundEntrypoint | undefined {
  const manage = managePy(tree);
  if (!manage) return undefined;
  const prefix = manage.root ? `${manage.root}/` : '';
  const settings = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/.exec(tree.read(manage.file) ?? '')?.[1];
  if (settings) {
    const path = prefix + settings.replace(/\./g, '/');
    // settings may be a module, a package, or one module of a settings package that
    // imports its siblings (`from .base import *`): look in all of them.
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const inFolder = (dir: string) =>
      tree.files.filter((f) => f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/') && f.endsWith('.py'));
    const files = [
      `${path}.py`,
      `${path}/__init__.py`,
      ...inFolder(path),
      ...(parent.split('/').length > 1 ? inFolder(parent) : []),
    ];
    for (const file of files) {
      const wsgi = /^WSGI_APPLICATION\s*=\s*['"]([\w.]+)['"]/m.exec(tree.read(file) ?? '')?.[1];
      if (wsgi) {
        const dot = wsgi.lastIndexOf('.');
        return { entrypoint: `${wsgi.slice(0, dot)}:${wsgi.slice(dot + 1)}`, source: `WSGI_APPLICATION in ${file}` };
      }
    }
  }
  // Else the folder holding wsgi.py, below manage.py.
  const wsgiFile = tree.files.find(
    (f) => f.startsWith(prefix) && f.endsWith('/wsgi.py') && !f.slice(prefix.length).startsWith('src/'),
  );
  if (wsgiFile) {
    const module = wsgiFile.slice(prefix.length, -'.py'.length).split('/').join('.');
    return { entrypoint: module, source: `${wsgiFile} next to ${manage.file}` };
  }
  return undefined;
}

function findStreamlit(tree: ProjectTree): FoundEntrypoint | undefined {
  const importsStreamlit = /^[ \t]*(?:import[ \t]+streamlit|from[ \t]+streamlit[ \t]+import)/m;
  const preferred = ['streamlit_app.py', 'app.py', 'main.py', 'Home.py', 'home.py', 'dashboard.py'];
  const files = [...preferred.filter((f) => tree.has(f)), ...tree.pythonFilesIn('', 'src', 'app')];
  for (const file of files) {
    if (importsStreamlit.test(tree.read(file) ?? '')) return { entrypoint: file, source: `${file} imports streamlit` };
  }
  return undefined;
}

function findScript(tree: ProjectTree): FoundEntrypoint | undefined {
  for (const name of ['main.py', 'worker.py', 'app.py', 'run.py', 'bot.py', 'cli.py', '__main__.py']) {
    if (tree.has(name)) return { entrypoint: name, source: name };
  }
  for (const dir of packages(tree)) {
    if (tree.has(`${dir}/__main__.py`)) return { entrypoint: moduleOf(tree, dir), source: `${dir}/__main__.py` };
  }
  const scripts = Object.entries(tree.toml('pyproject.toml')?.project?.scripts ?? {});
  if (scripts.length === 1 && typeof scripts[0][1] === 'string' && /^[\w.]+:\w+$/.test(scripts[0][1])) {
    return { entrypoint: scripts[0][1], source: `[project.scripts] ${scripts[0][0]}` };
  }
  return undefined;
}

export function findEntrypoint(tree: ProjectTree, framework: Framework): FoundEntrypoint | undefined {
  switch (framework) {
    case 'fastapi':
      return findAppObject(tree, 'FastAPI');
    case 'flask':
      return findAppObject(tree, 'Flask');
    case 'django':
      return findDjango(tree);
    case 'streamlit':
      return findStreamlit(tree);
    case 'none':
      return findScript(tree);
  }
}

/**
 * A port in a `.run(…, port=N)` call (Flask's app.run, uvicorn.run): one pass over
 * the text, whatever it holds (a regex with `[^)]*` was quadratic on repeated `.run(`).
 */
export function portInCode(text: string): number | undefined {
  const tokens = /\.run[ \t]*\(|\)|\bport[ \t]*=[ \t]*(\d{1,5})\b/g;
  let open = false;
  for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
    if (m[0] === ')') open = false;
    else if (m[1] === undefined) open = true;
    else if (open) return Number(m[1]);
  }
  return undefined;
}
