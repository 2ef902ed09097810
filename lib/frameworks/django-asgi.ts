/**
 * Django over ASGI. A project whose settings set ASGI_APPLICATION, or that declares Channels, runs its ASGI
 * application: by daphne when the project declares it (or channels[daphne]), else by uvicorn; a Procfile web
 * line running daphne, uvicorn or gunicorn with uvicorn's worker names the server. Every startproject has an
 * asgi.py, so that file alone keeps a project on WSGI, and so does an entrypoint naming the wsgi module.
 */
import { gunicorn } from './gunicorn.js';
import type { FoundEntrypoint, Serving } from './plugin.js';
import { declaredDependencies } from '../project/dependencies.js';
import { findModule } from '../project/modules.js';
import type { ProjectTree } from '../project/project-tree.js';
import { provides } from '../project/requirements.js';
import { procfileCommand } from '../project/run-commands.js';

/** `ASGI_APPLICATION = "mysite.asgi.application"` in one of the settings files, as an entrypoint. */
function asgiSetting(tree: ProjectTree, settings: string[]): FoundEntrypoint | undefined {
  for (const file of settings) {
    const value = /^ASGI_APPLICATION\s*=\s*['"]([\w.]+\.\w+)['"]/m.exec(tree.read(file) ?? '')?.[1];
    if (value) {
      const dot = value.lastIndexOf('.');
      return { entrypoint: `${value.slice(0, dot)}:${value.slice(dot + 1)}`, source: `ASGI_APPLICATION in ${file}` };
    }
  }
  return undefined;
}

/** Channels declared (`channels`, `channels[daphne]`): its consumers need the ASGI application. */
function channelsSource(tree: ProjectTree): string | undefined {
  const declared = declaredDependencies(tree).get('channels');
  return declared && `channels in ${declared.source}`;
}

/**
 * The ASGI application to detect, when the project is served over ASGI: ASGI_APPLICATION's, else (Channels)
 * the asgi module beside the WSGI one found.
 */
export function findAsgi(
  tree: ProjectTree,
  settings: string[],
  wsgi: FoundEntrypoint | undefined,
): FoundEntrypoint | undefined {
  const setting = asgiSetting(tree, settings);
  if (setting) return setting;
  const channels = channelsSource(tree);
  const module = wsgi?.entrypoint.split(':')[0].replace(/(^|\.)wsgi$/, '');
  if (!channels || module === undefined) return undefined;
  const asgi = module ? `${module}.asgi` : 'asgi';
  return findModule(tree, asgi)?.file ? { entrypoint: `${asgi}:application`, source: channels } : undefined;
}

/** The server a Procfile web line runs the ASGI application with, if it names one. */
function procfileServer(tree: ProjectTree): string | undefined {
  const web = procfileCommand(tree);
  if (web?.server === 'daphne' || web?.server === 'uvicorn') return web.server;
  const uvicornWorker = web?.options?.some(
    (o) => ['-k', '--worker-class'].includes(o.name) && /(^|\.)UvicornWorker$/.test(o.value ?? ''),
  );
  return web?.server === 'gunicorn' && uvicornWorker ? 'gunicorn' : undefined;
}

/**
 * How this project serves its entrypoint over ASGI, or undefined for WSGI (the plugin's gunicorn CMD).
 * `settings`: the settings files the project's manage.py names.
 */
export function djangoServing(tree: ProjectTree, entrypoint: string, settings: string[]): Serving | undefined {
  const [module, attr] = entrypoint.split(':');
  if (/(^|\.)wsgi$/.test(module)) return undefined;
  const setting = asgiSetting(tree, settings);
  const source =
    setting?.source ?? channelsSource(tree) ?? (module.endsWith('.asgi') ? `entrypoint ${entrypoint}` : undefined);
  if (!source) return undefined;
  // A bare project package (`mysite`) loads the application ASGI_APPLICATION names in it, else its asgi module.
  const app = attr
    ? entrypoint
    : module.endsWith('.asgi')
      ? `${module}:application`
      : setting?.entrypoint.startsWith(`${module}.`)
        ? setting.entrypoint
        : `${module}.asgi:application`;
  const server = procfileServer(tree) ?? (provides(declaredDependencies(tree), 'daphne') ? 'daphne' : 'uvicorn');
  if (server === 'daphne') {
    return {
      label: 'ASGI via daphne',
      source,
      server,
      packages: ['django', 'daphne'],
      command: (_entry, port, options) => [
        'daphne',
        '-b',
        '0.0.0.0',
        '-p',
        String(port),
        ...(options?.args ?? []),
        app,
      ],
    };
  }
  if (server === 'gunicorn') {
    // The Procfile's `-k uvicorn.workers.UvicornWorker` reaches the CMD with its other options.
    return {
      label: 'ASGI via gunicorn with uvicorn workers',
      source,
      server,
      packages: ['django', 'gunicorn', 'uvicorn'],
      command: (_entry, port, options) => gunicorn(app, port, options),
    };
  }
  return {
    label: 'ASGI via uvicorn',
    source,
    server,
    packages: ['django', 'uvicorn'],
    command: (_entry, port, options) => [
      'uvicorn',
      app,
      '--host',
      '0.0.0.0',
      '--port',
      String(port),
      ...(options?.args ?? []),
    ],
  };
}
