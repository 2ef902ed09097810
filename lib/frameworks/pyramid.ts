/**
 * Pyramid: the cookiecutter's `main(global_config, **settings)` loaded through production.ini (PasteDeploy,
 * which gunicorn reads with --paste), or a module-level `app = config.make_wsgi_app()`, behind gunicorn.
 */
import { APP_RE, INI_RE, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import { gunicorn } from './gunicorn.js';
import type { FoundEntrypoint, FoundHealthPath, FrameworkPlugin } from './plugin.js';
import { best, sourceFiles } from './routes.js';
import type { ProjectTree } from '../project/project-tree.js';
import { normaliseName } from '../project/requirements.js';

/** The ini files a deployment uses, best first (development.ini loads the debug toolbar, a dev dependency). */
const PRODUCTION_INI = ['production.ini', 'prod.ini', 'deploy.ini'];

/** An ini file's PasteDeploy main app (`[app:main]`, or a `[pipeline:main]` or `[composite:main]` around it). */
const APP_SECTION = /^\[(?:app|pipeline|composite):main\]/m;

/** Files that make the project a distribution pip installs (`pip install .`), by the name PasteDeploy asks for. */
const PROJECT_METADATA = ['pyproject.toml', 'setup.py', 'setup.cfg'];

/**
 * `[app:main]`'s `use = egg:myproject` loads the installed distribution myproject: a project with
 * no metadata to install it by (requirements.txt only) builds, then fails as the app starts.
 */
function eggNotInstalled(tree: ProjectTree, ini: string, declared: ReadonlyMap<string, unknown>): string | undefined {
  if (!ini.endsWith('.ini') || PROJECT_METADATA.some((file) => tree.has(file))) return undefined;
  const section = /^\[app:main\]([^[]*)/m.exec(tree.read(ini) ?? '')?.[1] ?? '';
  const egg = /^[ \t]*use[ \t]*=[ \t]*egg:([\w.-]+)/m.exec(section)?.[1];
  if (!egg || declared.has(normaliseName(egg))) return undefined;
  return (
    `${ini}'s "use = egg:${egg}" loads the installed distribution ${egg}, and nothing installs it ` +
    '(no pyproject.toml or setup.py); add one naming it, or write "use = call:module:main"'
  );
}

function findPyramid(tree: ProjectTree): FoundEntrypoint | undefined {
  const ini = PRODUCTION_INI.find((file) => APP_SECTION.test(tree.read(file) ?? ''));
  if (ini) return { entrypoint: ini, source: `${ini} ([app:main], read by gunicorn --paste)` };
  const app = findAppObject(tree, 'make_wsgi_app', 'pyramid');
  // main(global_config, **settings) needs the ini's arguments; gunicorn would call it with none.
  if (!app || app.entrypoint.endsWith(':main()')) return undefined;
  return { entrypoint: app.entrypoint, source: app.source.replace('make_wsgi_app(…)', 'config.make_wsgi_app()') };
}

/** `config.add_route('health', '/health')`: a route's name, then its full pattern. */
function pyramidHealthPath(tree: ProjectTree): FoundHealthPath | undefined {
  const found: FoundHealthPath[] = [];
  for (const { file, text } of sourceFiles(tree)) {
    for (const m of text.matchAll(/\b(\w+)\.add_route\(\s*['"]([^'"]+)['"]\s*,\s*['"](\/[^'"{]*)['"]/g))
      found.push({ value: m[3], source: `${m[1]}.add_route("${m[2]}", "${m[3]}") in ${file}` });
  }
  return best(found);
}

export const pyramid: FrameworkPlugin = {
  id: 'pyramid',
  label: 'Pyramid',
  packages: ['pyramid'],
  web: true,
  defaultPort: 6543,
  defaultEntrypoint: 'production.ini',
  entrypointShape: 'file.ini or module:app',
  entrypointHelp: 'a PasteDeploy file such as production.ini, or module:attribute such as app:app',
  stubPackages: ['pyramid', 'gunicorn'],
  healthPath: '/',
  parseEntrypoint: (raw) => match(INI_RE)(raw) ?? match(APP_RE)(raw),
  findEntrypoint: findPyramid,
  cli: [
    { name: 'pserve', valueOptions: ['-n', '--app-name', '-s', '--server', '--server-name'] },
    { name: 'waitress-serve', valueOptions: ['--host', '--port', '--listen', '--unix-socket'] },
  ],
  servers: ['gunicorn', 'pserve', 'waitress-serve'],
  cmdServer: 'gunicorn',
  findHealthPath: pyramidHealthPath,
  // The ini's [server:main] port (`listen = *:6543`, or `port = 6543`).
  configuredPort(tree) {
    const ini = PRODUCTION_INI.find((file) => tree.has(file));
    const section = /^\[server:main\]([^[]*)/m.exec(tree.read(ini ?? '') ?? '')?.[1] ?? '';
    const port = /^[ \t]*(?:listen[ \t]*=[^\n]*?:|port[ \t]*=[ \t]*)(\d{1,5})\b/m.exec(section)?.[1];
    return port && ini ? { port: Number(port), source: `${ini} [server:main]` } : undefined;
  },
  unloadable: eggNotInstalled,
  // gunicorn reads the app section itself; its [server:main] is waitress's and ignored (the CMD binds).
  command(entry, port, server) {
    const argv = gunicorn(entry, port, server);
    return entry.endsWith('.ini') ? [...argv.slice(0, -1), '--paste', entry] : argv;
  },
};
