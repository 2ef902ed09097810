/** FastAPI: an ASGI app object behind uvicorn. */
import { APP_RE, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import type { FrameworkPlugin } from './plugin.js';
import { uvicorn } from './uvicorn.js';
import { decoratorHealthPath } from './routes.js';

export const fastapi: FrameworkPlugin = {
  id: 'fastapi',
  label: 'FastAPI',
  packages: ['fastapi'],
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'main:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as main:app or app.main:api, or a factory such as main:create_app()',
  stubPackages: ['fastapi', 'uvicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: (tree) => findAppObject(tree, 'FastAPI', 'fastapi'),
  servers: ['uvicorn', 'gunicorn', 'hypercorn'],
  cmdServer: 'uvicorn',
  findHealthPath: (tree) =>
    decoratorHealthPath(tree, { appClass: 'FastAPI', routerClass: 'APIRouter', mountCall: 'include_router' }),
  command: (entry, port, server) => uvicorn(entry, port, server),
};
