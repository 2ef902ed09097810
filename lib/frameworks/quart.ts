/** Quart: Flask's API over ASGI, an app object (or factory) behind Hypercorn, the server its docs deploy with. */
import { APP_RE, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import type { FrameworkPlugin } from './plugin.js';
import { decoratorHealthPath } from './routes.js';

export const quart: FrameworkPlugin = {
  id: 'quart',
  label: 'Quart',
  packages: ['quart'],
  // Quart apps often still declare Flask (a port in progress, Flask extensions): Quart is the server.
  triedFirst: true,
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'app:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as app:app, or a factory such as app:create_app()',
  stubPackages: ['quart', 'hypercorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: (tree) => findAppObject(tree, 'Quart', 'quart'),
  cli: [
    {
      name: 'quart',
      subcommand: 'run',
      valueOptions: ['-A', '--app', '-h', '--host', '-p', '--port', '--certfile', '--keyfile'],
      appOptions: ['-A', '--app'],
      appVariable: { file: '.quartenv', name: 'QUART_APP' },
    },
  ],
  servers: ['hypercorn', 'uvicorn', 'quart'],
  cmdServer: 'hypercorn',
  findHealthPath: (tree) =>
    decoratorHealthPath(tree, { appClass: 'Quart', routerClass: 'Blueprint', mountCall: 'register_blueprint' }),
  // Hypercorn calls `module:create_app()` itself.
  command: (entry, port, server) => [
    'hypercorn',
    entry,
    '--bind',
    `0.0.0.0:${port}`,
    '--access-logfile',
    '-',
    ...(server?.args ?? []),
  ],
};
