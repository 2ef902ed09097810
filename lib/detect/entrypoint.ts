/**
 * Finding what the server should load, by reading likely files (never running
 * them): the FastAPI or Flask app object or factory, the Django project's WSGI
 * application, the Streamlit script, a plain script; and a port where the code
 * or a Procfile states one.
 */
import type { Framework } from '../frameworks.js';
import { tomlOf } from './dependencies.js';
import type { ProjectTree } from './project-tree.js';

export interface FoundEntrypoint {
  entrypoint: string;
  source: string;
}

/** Top-level packages (folders with Python files) at the root and under src/. */
function packages(tree: ProjectTree): string[] {
  const dirs = new Set<string>();
  for (const file of tree.files) {
    const parts = file.split('/');
    if (!file.endsWith('.py')) continue;
    if (parts.length === 2 && parts[0] !== 'tests' && parts[0] !== 'test') dirs.add(parts[0]);
    if (parts.length === 3 && parts[0] === 'src') dirs.add(`src/${parts[1]}`);
  }
  return [...dirs].sort();
}

const APP_FILE_NAMES = ['main.py', 'app.py', 'api.py', 'server.py', 'application.py', 'asgi.py', 'wsgi.py', 'run.py', '__init__.py'];

/** Files most likely to hold the app, most likely first. */
function appCandidates(tree: ProjectTree): string[] {
  const out: string[] = [];
  const push = (path: string) => tree.has(path) && !out.includes(path) && out.push(path);
  for (const name of APP_FILE_NAMES) push(name);
  for (const dir of ['app', ...packages(tree).filter((d) => d !== 'app')]) for (const name of APP_FILE_NAMES) push(`${dir}/${name}`);
  for (const name of APP_FILE_NAMES) push(`src/${name}`);
  // Anything else, shallow first.
  for (const file of tree.files) if (file.endsWith('.py') && !/(^|\/)(tests?|migrations)\//.test(file)) push(file);
  return out;
}

/** `src/shop/api/main.py` → `shop.api.main` (src/ is put on the path); `app/__init__.py` → `app`. */
export function moduleOf(file: string): string {
  const path = file.replace(/^src\//, '').replace(/\.py$/, '').replace(/\/__init__$/, '');
  return path.split('/').join('.');
}

const VALID_MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function findAppObject(tree: ProjectTree, className: 'FastAPI' | 'Flask'): FoundEntrypoint | undefined {
  // A module-level assignment, any variable name, optionally annotated: `api: FastAPI = FastAPI(...)`.
  const assignment = new RegExp(`^([A-Za-z_]\\w*)\\s*(?::[^=\\n]+)?=\\s*(?:\\w+\\.)?${className}\\s*\\(`, 'm');
  const factory = /^def\s+(create_app|make_app|get_app|app_factory)\s*\(/m;
  const importRe = new RegExp(`^\\s*(?:from\\s+${className.toLowerCase()}\\s+import|import\\s+${className.toLowerCase()})`, 'm');
  let factoryFound: FoundEntrypoint | undefined;
  for (const file of appCandidates(tree)) {
    const text = tree.read(file);
    if (!text || !importRe.test(text)) continue;
    const module = moduleOf(file);
    if (!VALID_MODULE.test(module)) continue;
    const assigned = assignment.exec(text);
    if (assigned) return { entrypoint: `${module}:${assigned[1]}`, source: `${className}(…) assigned to ${assigned[1]} in ${file}` };
    const made = factory.exec(text);
    if (made && !factoryFound) factoryFound = { entrypoint: `${module}:${made[1]}()`, source: `app factory ${made[1]}() in ${file}` };
  }
  return factoryFound;
}

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
    const inFolder = (dir: string) => tree.files.filter((f) => f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/') && f.endsWith('.py'));
    const files = [`${path}.py`, `${path}/__init__.py`, ...inFolder(path), ...(parent.split('/').length > 1 ? inFolder(parent) : [])];
    for (const file of files) {
      const wsgi = /^WSGI_APPLICATION\s*=\s*['"]([\w.]+)['"]/m.exec(tree.read(file) ?? '')?.[1];
      if (wsgi) {
        const dot = wsgi.lastIndexOf('.');
        return { entrypoint: `${wsgi.slice(0, dot)}:${wsgi.slice(dot + 1)}`, source: `WSGI_APPLICATION in ${file}` };
      }
    }
  }
  // Else the folder holding wsgi.py, below manage.py.
  const wsgiFile = tree.files.find((f) => f.startsWith(prefix) && f.endsWith('/wsgi.py') && !f.slice(prefix.length).startsWith('src/'));
  if (wsgiFile) {
    const module = wsgiFile.slice(prefix.length, -'.py'.length).split('/').join('.');
    return { entrypoint: module, source: `${wsgiFile} next to ${manage.file}` };
  }
  return undefined;
}

function findStreamlit(tree: ProjectTree): FoundEntrypoint | undefined {
  const importsStreamlit = /^\s*(?:import\s+streamlit|from\s+streamlit\s+import)/m;
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
    if (tree.has(`${dir}/__main__.py`)) return { entrypoint: moduleOf(dir), source: `${dir}/__main__.py` };
  }
  const scripts = Object.entries(tomlOf(tree, 'pyproject.toml')?.project?.scripts ?? {});
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

/** The `web:` command of a Procfile, if there is one. */
export function procfileWeb(tree: ProjectTree): string | undefined {
  return /^web:\s*(.+)$/m.exec(tree.read('Procfile') ?? '')?.[1]?.trim();
}

const PORT_IN_COMMAND = /(?:--port[=\s]+|--server\.port[=\s]+|(?:--bind|-b)[=\s]+\S*:)(\d{2,5})\b/;
const PORT_IN_CODE = /\.run\([^)]*\bport\s*=\s*(\d{2,5})\b/;

/** A port the project states: in the Procfile, in a run() call in the entrypoint's file, or in .streamlit/config.toml. */
export function findPort(tree: ProjectTree, entrypointFile: string | undefined): { value: number; source: string } | undefined {
  const web = procfileWeb(tree);
  const fromProcfile = web && PORT_IN_COMMAND.exec(web)?.[1];
  if (fromProcfile) return { value: Number(fromProcfile), source: 'Procfile' };
  if (entrypointFile) {
    const fromCode = PORT_IN_CODE.exec(tree.read(entrypointFile) ?? '')?.[1];
    if (fromCode) return { value: Number(fromCode), source: entrypointFile };
  }
  const streamlitPort = tomlOf(tree, '.streamlit/config.toml')?.server?.port;
  if (typeof streamlitPort === 'number') return { value: streamlitPort, source: '.streamlit/config.toml' };
  return undefined;
}

/** The file an entrypoint points at, for reading its port. */
export function entrypointFile(tree: ProjectTree, entrypoint: string): string | undefined {
  if (entrypoint.endsWith('.py')) return entrypoint;
  const module = entrypoint.split(':')[0].replace(/\./g, '/');
  return [`${module}.py`, `${module}/__init__.py`, `src/${module}.py`, `src/${module}/__init__.py`].find((f) => tree.has(f));
}
