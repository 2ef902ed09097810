/** Dash: a Flask server inside the Dash app; gunicorn serves that server, named at module level. */
import { APP_RE, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import { gunicorn } from './gunicorn.js';
import type { FoundEntrypoint, FrameworkPlugin } from './plugin.js';
import { findModule } from '../project/modules.js';
import type { ProjectTree } from '../project/project-tree.js';

/**
 * `server = app.server` beside `app = Dash(…)`: gunicorn loads a module-level name or calls a function, never an
 * attribute path (`app:app.server` is refused), so without that line the entrypoint names the line to add.
 */
function findDash(tree: ProjectTree): FoundEntrypoint | undefined {
  const app = findAppObject(tree, 'Dash', 'dash');
  if (!app || app.entrypoint.endsWith(')')) return app;
  const [module, attr] = app.entrypoint.split(':');
  const text = tree.read(findModule(tree, module)?.file ?? '') ?? '';
  const server = new RegExp(`^([A-Za-z_]\\w*)[ \\t]*=[ \\t]*${attr}\\.server\\b`, 'm').exec(text)?.[1];
  if (server) return { entrypoint: `${module}:${server}`, source: `${server} = ${attr}.server, ${app.source}` };
  return {
    entrypoint: `${module}:server`,
    source: `${app.source}; gunicorn needs \`server = ${attr}.server\` there`,
  };
}

export const dash: FrameworkPlugin = {
  id: 'dash',
  label: 'Dash',
  packages: ['dash'],
  // Dash runs on Flask, and projects that customise its server declare Flask too: Dash's server is the app.
  triedFirst: true,
  web: true,
  defaultPort: 8050,
  defaultEntrypoint: 'app:server',
  entrypointShape: 'module:server',
  entrypointHelp: 'module:attribute naming the Flask server (`server = app.server`), such as app:server',
  stubPackages: ['dash', 'gunicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: findDash,
  servers: ['gunicorn'],
  cmdServer: 'gunicorn',
  command: (entry, port, server) => gunicorn(entry, port, server),
};
