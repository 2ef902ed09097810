/** Any other WSGI app, named by the user (`--framework wsgi --entrypoint module:app`): gunicorn serves it. */
import { APP_RE, match } from './entrypoints.js';
import { gunicorn } from './gunicorn.js';
import type { FrameworkPlugin } from './plugin.js';

export const wsgi: FrameworkPlugin = {
  id: 'wsgi',
  label: 'WSGI',
  // Chosen, never detected: the user knows better than the dependencies.
  packages: [],
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'app:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as app:app or wsgi:application, or a factory such as app:create_app()',
  stubPackages: ['gunicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: () => undefined,
  servers: ['gunicorn'],
  cmdServer: 'gunicorn',
  command: (entry, port, server) => gunicorn(entry, port, server),
};
