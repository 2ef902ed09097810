/** Flask: a WSGI app object (or factory) behind gunicorn. */
import { APP_RE, match } from './entrypoints.js';
import { findAppObject, moduleOf } from './finders.js';
import { gunicorn } from './gunicorn.js';
import type { FrameworkPlugin } from './plugin.js';
import { decoratorHealthPath } from './routes.js';
import { findModule } from '../project/modules.js';
import type { ProjectTree } from '../project/project-tree.js';

/** FLASK_APP=blog or blog.py: Flask looks for `app`/`application`, then create_app()/make_app(). */
function flaskTarget(tree: ProjectTree, target: string): string {
  if (target.includes(':')) return target;
  const module = target.endsWith('.py') ? moduleOf(tree, target) : target;
  const text = tree.read(findModule(tree, module)?.file ?? '') ?? '';
  const attr = /^(app|application)[ \t]*(?::[^=\n]+)?=/m.exec(text)?.[1];
  const factory = /^def[ \t]+(create_app|make_app)[ \t]*\(/m.exec(text)?.[1];
  return attr ? `${module}:${attr}` : factory ? `${module}:${factory}()` : `${module}:app`;
}

export const flask: FrameworkPlugin = {
  id: 'flask',
  label: 'Flask',
  packages: ['flask'],
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'app:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as app:app, or a factory such as app:create_app()',
  stubPackages: ['flask', 'gunicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: (tree) => findAppObject(tree, 'Flask', 'flask'),
  cli: [
    {
      name: 'flask',
      subcommand: 'run',
      valueOptions: ['-A', '--app', '-h', '--host', '-p', '--port', '--cert', '--key', '-e', '--env-file'],
      appOptions: ['-A', '--app'],
      appVariable: { file: '.flaskenv', name: 'FLASK_APP' },
    },
  ],
  servers: ['gunicorn', 'flask', 'hypercorn'],
  targetEntrypoint: flaskTarget,
  cmdServer: 'gunicorn',
  findHealthPath: (tree) =>
    decoratorHealthPath(tree, { appClass: 'Flask', routerClass: 'Blueprint', mountCall: 'register_blueprint' }),
  // gunicorn calls `module:create_app()` itself; it reads WEB_CONCURRENCY for the worker count.
  command: (entry, port, server) => gunicorn(entry, port, server),
};
