/** Sanic: an app object (or factory) served by Sanic's own server, `sanic module:app`. */
import { APP_RE, isFactory, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import type { FrameworkPlugin } from './plugin.js';
import { decoratorHealthPath } from './routes.js';

export const sanic: FrameworkPlugin = {
  id: 'sanic',
  label: 'Sanic',
  packages: ['sanic'],
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'server:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as server:app, or a factory such as server:create_app()',
  stubPackages: ['sanic'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: (tree) => findAppObject(tree, 'Sanic', 'sanic'),
  // `sanic server:app` is its own server, without a subcommand.
  cli: [{ name: 'sanic', valueOptions: ['-H', '--host', '-p', '--port', '-w', '--workers', '-u', '--unix'] }],
  servers: ['sanic'],
  findHealthPath: (tree) =>
    decoratorHealthPath(tree, { appClass: 'Sanic', routerClass: 'Blueprint', mountCall: 'blueprint' }),
  // A factory: Sanic's CLI calls it with --factory.
  command: (entry, port) => [
    'sanic',
    ...(isFactory(entry) ? [entry.slice(0, -2), '--factory'] : [entry]),
    '--host',
    '0.0.0.0',
    '--port',
    String(port),
  ],
};
