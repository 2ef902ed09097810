/**
 * Per-framework facts: default port and entrypoint, what the entrypoint must
 * look like, which packages the server needs, the health path, and the
 * production server command (the Dockerfile's CMD).
 */
import type { ServerOptions } from './server-options.js';

export const FRAMEWORKS = ['fastapi', 'flask', 'django', 'streamlit', 'none'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface FrameworkSpec {
  label: string;
  /** Serves HTTP: gets EXPOSE, a port and a HEALTHCHECK. */
  web: boolean;
  defaultPort?: number;
  defaultEntrypoint: string;
  /** Shown after "expected" when an entrypoint is refused, and in --help. */
  entrypointHelp: string;
  /** Keys of templates/versions.json "requirements": what the stub lists. */
  stubPackages: string[];
  healthPath?: string;
  /** Returns the normalised entrypoint, or undefined when it is not acceptable. */
  parseEntrypoint(raw: string): string | undefined;
  /** The CMD; `server` carries a Procfile web line's options (and gunicorn binding $PORT itself). */
  command(entrypoint: string, port: number | undefined, server?: ServerOptions): string[];
}

/** gunicorn's CMD: --bind, unless it binds 0.0.0.0:$PORT itself (ENV PORT); the Procfile's options before the app. */
function gunicorn(app: string, port: number | undefined, server?: ServerOptions): string[] {
  const bind = server?.portFromEnv ? [] : ['--bind', `0.0.0.0:${port}`];
  return ['gunicorn', ...bind, '--access-logfile', '-', ...(server?.args ?? []), app];
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const DOTTED = `${IDENT}(?:\\.${IDENT})*`;
const APP_RE = new RegExp(`^${DOTTED}:${IDENT}(?:\\(\\))?$`);
const MODULE_RE = new RegExp(`^${DOTTED}$`);
const DJANGO_RE = new RegExp(`^${DOTTED}(?::${IDENT})?$`);
const FUNCTION_RE = new RegExp(`^${DOTTED}:${IDENT}$`);
// A relative path inside the project: no leading '/', no '..' segment, no spaces or quotes.
const FILE_RE = /^(?!\/)(?!(?:.*\/)?\.\.(?:\/|$))[A-Za-z0-9_][A-Za-z0-9_./-]*\.py$/;

const match = (re: RegExp) => (raw: string) => (re.test(raw) ? raw : undefined);

// `main.sh` is a valid dotted name, but nobody means module `sh` of package `main` by it.
const NOT_PYTHON_FILE =
  /\.(?:sh|bash|zsh|js|mjs|ts|rb|pl|php|go|rs|exe|bat|cmd|ps1|txt|md|json|ya?ml|toml|cfg|ini|conf|env|ipynb|pyc)$/i;
const pythonModule = (raw: string) => (NOT_PYTHON_FILE.test(raw) ? undefined : match(MODULE_RE)(raw));

/** `pkg.mod:create_app()` is an app factory. */
export function isFactory(entrypoint: string): boolean {
  return entrypoint.endsWith('()');
}

export const FRAMEWORK_SPECS: Record<Framework, FrameworkSpec> = {
  fastapi: {
    label: 'FastAPI',
    web: true,
    defaultPort: 8000,
    defaultEntrypoint: 'main:app',
    entrypointHelp: 'module:attribute such as main:app or app.main:api, or a factory such as main:create_app()',
    stubPackages: ['fastapi', 'uvicorn'],
    healthPath: '/',
    parseEntrypoint: match(APP_RE),
    command: (entry, port, server) => [
      ...(isFactory(entry) ? ['uvicorn', '--factory', entry.slice(0, -2)] : ['uvicorn', entry]),
      '--host',
      '0.0.0.0',
      '--port',
      String(port),
      ...(server?.args ?? []),
    ],
  },
  flask: {
    label: 'Flask',
    web: true,
    defaultPort: 8000,
    defaultEntrypoint: 'app:app',
    entrypointHelp: 'module:attribute such as app:app, or a factory such as app:create_app()',
    stubPackages: ['flask', 'gunicorn'],
    healthPath: '/',
    parseEntrypoint: match(APP_RE),
    // gunicorn calls `module:create_app()` itself; it reads WEB_CONCURRENCY for the worker count.
    command: (entry, port, server) => gunicorn(entry, port, server),
  },
  django: {
    label: 'Django',
    web: true,
    defaultPort: 8000,
    defaultEntrypoint: 'mysite',
    entrypointHelp: 'the Django project package (the folder holding wsgi.py) such as mysite, or mysite.wsgi',
    stubPackages: ['django', 'gunicorn'],
    healthPath: '/',
    parseEntrypoint: match(DJANGO_RE),
    command: (entry, port, server) =>
      gunicorn(entry.includes(':') || entry.endsWith('.wsgi') ? entry : `${entry}.wsgi`, port, server),
  },
  streamlit: {
    label: 'Streamlit',
    web: true,
    defaultPort: 8501,
    defaultEntrypoint: 'app.py',
    entrypointHelp: 'a .py file relative to the project such as app.py or src/dashboard.py',
    stubPackages: ['streamlit'],
    healthPath: '/_stcore/health',
    parseEntrypoint: match(FILE_RE),
    command: (entry, port) => [
      'streamlit',
      'run',
      entry,
      '--server.port',
      String(port),
      '--server.address',
      '0.0.0.0',
      '--server.headless',
      'true',
    ],
  },
  none: {
    label: 'None (a plain script or worker)',
    web: false,
    defaultEntrypoint: 'main.py',
    entrypointHelp:
      'a .py file relative to the project such as main.py, a module such as worker.main, ' +
      'or a function such as mytool.cli:main',
    stubPackages: [],
    parseEntrypoint: (raw) => match(FILE_RE)(raw) ?? pythonModule(raw) ?? match(FUNCTION_RE)(raw),
    command: (entry) => {
      if (entry.endsWith('.py')) return ['python', entry];
      if (!entry.includes(':')) return ['python', '-m', entry];
      // A console-script style `module:function` (a [project.scripts] entry): call it, exit with what it returns.
      const [module, fn] = entry.split(':');
      return ['python', '-c', `import sys; from ${module} import ${fn}; sys.exit(${fn}())`];
    },
  },
};
