/** Any other ASGI app, named by the user (`--framework asgi --entrypoint module:app`): uvicorn serves it. */
import { APP_RE, match } from './entrypoints.js';
import type { FrameworkPlugin } from './plugin.js';
import { uvicorn } from './uvicorn.js';

export const asgi: FrameworkPlugin = {
  id: 'asgi',
  label: 'ASGI',
  // Chosen, never detected: the user knows better than the dependencies.
  packages: [],
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'main:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as main:app, or a factory such as main:create_app()',
  stubPackages: ['uvicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: () => undefined,
  servers: ['uvicorn'],
  cmdServer: 'uvicorn',
  command: uvicorn,
};
