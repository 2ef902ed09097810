/** Falcon: falcon.App() (falcon.API() before 3.0) behind gunicorn; falcon.asgi.App() behind uvicorn. */
import { APP_RE, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import { gunicorn } from './gunicorn.js';
import type { FoundEntrypoint, FoundHealthPath, FrameworkPlugin } from './plugin.js';
import { best, sourceFiles } from './routes.js';
import { findModule } from '../project/modules.js';
import type { ProjectTree } from '../project/project-tree.js';
import { uvicorn } from './uvicorn.js';

/** The module holding the app imports Falcon's ASGI flavour (`falcon.asgi.App`, `from falcon.asgi import App`). */
function isAsgi(tree: ProjectTree, found: FoundEntrypoint): boolean {
  const text = tree.read(findModule(tree, found.entrypoint.split(':')[0])?.file ?? '') ?? '';
  return /\bfalcon\.asgi\b|^[ \t]*from[ \t]+falcon[ \t]+import[^\n]*\basgi\b/m.test(text);
}

function findFalcon(tree: ProjectTree, asgi: boolean): FoundEntrypoint | undefined {
  // `app = App()` after `from falcon.asgi import App` is ASGI; `falcon.asgi.App()` is two prefixes deep.
  const found = findAppObject(tree, 'App', 'falcon') ?? findAppObject(tree, 'API', 'falcon');
  if (found && isAsgi(tree, found) === asgi) return found;
  if (!asgi) return undefined;
  const deep = findAppObject(tree, 'asgi\\.App', 'falcon');
  return deep && { ...deep, source: deep.source.replace('asgi\\.App', 'falcon.asgi.App') };
}

/** `app.add_route('/health', HealthResource())`: Falcon routes by resource, with the full path stated. */
function falconHealthPath(tree: ProjectTree): FoundHealthPath | undefined {
  const found: FoundHealthPath[] = [];
  for (const { file, text } of sourceFiles(tree)) {
    for (const m of text.matchAll(/\b(\w+)\.add_route\(\s*['"](\/[^'"]*)['"]/g))
      found.push({ value: m[2], source: `${m[1]}.add_route("${m[2]}", …) in ${file}` });
  }
  return best(found);
}

const shared = {
  packages: ['falcon'],
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'app:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as app:app, or a factory such as app:create_app()',
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findHealthPath: falconHealthPath,
};

export const falcon: FrameworkPlugin = {
  ...shared,
  id: 'falcon',
  label: 'Falcon',
  stubPackages: ['falcon', 'gunicorn'],
  findEntrypoint: (tree) => findFalcon(tree, false),
  servers: ['gunicorn'],
  cmdServer: 'gunicorn',
  command: (entry, port, server) => gunicorn(entry, port, server),
};

export const falconAsgi: FrameworkPlugin = {
  ...shared,
  id: 'falcon-asgi',
  label: 'Falcon (ASGI)',
  stubPackages: ['falcon', 'uvicorn'],
  findEntrypoint: (tree) => findFalcon(tree, true),
  servers: ['uvicorn', 'hypercorn'],
  cmdServer: 'uvicorn',
  command: (entry, port, server) => uvicorn(entry, port, server),
};
