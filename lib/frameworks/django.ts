/**
 * Django: the project's WSGI application behind gunicorn, or its ASGI application (django-asgi.ts);
 * migrate and collectstatic as release steps.
 */
import { djangoServing, findAsgi } from './django-asgi.js';
import { djangoReleaseSteps } from './django-release.js';
import { findManagePy, manageRoot, settingsFiles } from './django-settings.js';
import { DJANGO_RE, match } from './entrypoints.js';
import { gunicorn } from './gunicorn.js';
import type { FoundEntrypoint, FoundHealthPath, FrameworkPlugin } from './plugin.js';
import { best } from './routes.js';
import type { ProjectTree } from '../project/project-tree.js';

function findWsgi(tree: ProjectTree, managePy: string, settings: string[]): FoundEntrypoint | undefined {
  const prefix = manageRoot(managePy);
  for (const file of settings) {
    const wsgi = /^WSGI_APPLICATION\s*=\s*['"]([\w.]+)['"]/m.exec(tree.read(file) ?? '')?.[1];
    if (wsgi) {
      const dot = wsgi.lastIndexOf('.');
      return { entrypoint: `${wsgi.slice(0, dot)}:${wsgi.slice(dot + 1)}`, source: `WSGI_APPLICATION in ${file}` };
    }
  }
  // Else the folder holding wsgi.py, below manage.py.
  const wsgiFile = tree.files.find(
    (f) => f.startsWith(prefix) && f.endsWith('/wsgi.py') && !f.slice(prefix.length).startsWith('src/'),
  );
  if (wsgiFile) {
    const module = wsgiFile.slice(prefix.length, -'.py'.length).split('/').join('.');
    return { entrypoint: module, source: `${wsgiFile} next to ${managePy}` };
  }
  return undefined;
}

/** The settings files of the project's manage.py. */
function djangoSettings(tree: ProjectTree): string[] {
  const managePy = findManagePy(tree);
  return managePy ? settingsFiles(tree, managePy) : [];
}

/** The WSGI application, or the ASGI one when the project is served over ASGI (django-asgi.ts). */
function findDjango(tree: ProjectTree): FoundEntrypoint | undefined {
  const managePy = findManagePy(tree);
  if (!managePy) return undefined;
  const settings = settingsFiles(tree, managePy);
  const wsgi = findWsgi(tree, managePy, settings);
  return findAsgi(tree, settings, wsgi) ?? wsgi;
}

/** A `path("health/", …)` in the root URLconf, or django-health-check's URLs included there. */
function fromUrlconf(tree: ProjectTree, entrypoint: string | undefined): FoundHealthPath | undefined {
  const project = entrypoint?.split(/[.:]/)[0];
  if (!project) return undefined;
  const urls = tree.files.find(
    (f) => f === `${project}/urls.py` || (f.endsWith(`/${project}/urls.py`) && f.split('/').length === 3),
  );
  const text = urls && tree.read(urls);
  if (!text) return undefined;
  const found: FoundHealthPath[] = [];
  for (const m of text.matchAll(/\b(re_)?path\(\s*r?['"]\^?([^'"$]*)\$?['"]\s*,\s*([^\n]*)/g)) {
    const value = `/${m[2]}`;
    if (/include\(\s*['"]health_check\.urls['"]/.test(m[3]))
      return { value, source: `health_check.urls included in ${urls}` };
    if (!/include\(/.test(m[3])) found.push({ value, source: `path("${m[2]}") in ${urls}` });
  }
  return best(found);
}

export const django: FrameworkPlugin = {
  id: 'django',
  label: 'Django',
  packages: ['django'],
  triedFirst: true,
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'mysite',
  entrypointShape: 'project package',
  entrypointHelp:
    'the Django project package (the folder holding wsgi.py) such as mysite, mysite.wsgi, or mysite.asgi:application',
  stubPackages: ['django', 'gunicorn'],
  healthPath: '/',
  parseEntrypoint: match(DJANGO_RE),
  findEntrypoint: findDjango,
  // `python manage.py runserver 0.0.0.0:8000`: a development server, but its port is the app's.
  cli: [
    {
      name: 'manage.py',
      subcommand: 'runserver',
      valueOptions: [],
      appOptions: [],
      portArgument: true,
      server: 'django-runserver',
    },
  ],
  servers: ['gunicorn', 'uvicorn', 'daphne'],
  // gunicorn config.wsgi, daphne config.asgi:application; anything else is not the project's WSGI or ASGI module.
  targetEntrypoint: (_tree, target) => (/\.[wa]sgi(?::\w+)?$/.test(target) ? target : undefined),
  cmdServer: 'gunicorn',
  findHealthPath: fromUrlconf,
  // `mysite` is the project package, whose wsgi module gunicorn loads.
  loads: (module) => ({ module: /\.[wa]sgi$/.test(module) ? module : `${module}.wsgi`, attr: 'application' }),
  // Over ASGI when its settings or Channels say so (django-asgi.ts).
  serving: (tree, entrypoint) => djangoServing(tree, entrypoint, djangoSettings(tree)),
  releaseSteps: djangoReleaseSteps,
  statusAdvice(status) {
    if (status === 400) return ': Django refuses a host not in ALLOWED_HOSTS; set ALLOWED_HOSTS from the environment';
    if (status === 404)
      return (
        ': no URL pattern matches it; add a health view, ' +
        'or pass --health-path with a path that answers 200, such as /admin/login/'
      );
    return undefined;
  },
  command: (entry, port, server) =>
    gunicorn(entry.includes(':') || entry.endsWith('.wsgi') ? entry : `${entry}.wsgi`, port, server),
};
