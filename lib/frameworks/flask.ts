/** Flask. */
import type { FrameworkSpec } from './plugin.js';
import { APP_RE, match } from './entrypoints.js';
import { gunicorn } from './gunicorn.js';

export const flask: FrameworkSpec = {
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
};
