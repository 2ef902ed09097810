/** FastAPI. */
import type { FrameworkSpec } from './plugin.js';
import { APP_RE, isFactory, match } from './entrypoints.js';

export const fastapi: FrameworkSpec = {
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
};
