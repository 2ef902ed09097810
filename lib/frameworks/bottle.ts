/** Bottle: a WSGI app object (Bottle() or the default app) behind gunicorn. */
import { APP_RE, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import { gunicorn } from './gunicorn.js';
import type { FoundHealthPath, FrameworkPlugin } from './plugin.js';
import { best, decoratorHealthPath, sourceFiles } from './routes.js';
import type { ProjectTree } from '../project/project-tree.js';

/** `@app.get("/health")` on a Bottle(), or the module-level `@route("/health")` of the default app. */
function bottleHealthPath(tree: ProjectTree): FoundHealthPath | undefined {
  const onApp = decoratorHealthPath(tree, { appClass: 'Bottle', routerClass: 'default_app', mountCall: 'mount' });
  if (onApp) return onApp;
  const found: FoundHealthPath[] = [];
  for (const { file, text } of sourceFiles(tree)) {
    if (!/^[ \t]*(?:from[ \t]+bottle[ \t]+import|import[ \t]+bottle\b)/m.test(text)) continue;
    for (const m of text.matchAll(/^\s*@(?:bottle\.)?(?:get|route)\(\s*['"](\/[^'"]*)['"]/gm))
      found.push({ value: m[1], source: `@${m[0].trim().slice(1).split('(')[0]}("${m[1]}") in ${file}` });
  }
  return best(found);
}

export const bottle: FrameworkPlugin = {
  id: 'bottle',
  label: 'Bottle',
  packages: ['bottle'],
  web: true,
  // 8000, gunicorn's usual and the other WSGI apps' here: Bottle's 8080 is its development server's
  // default; a port the code's app.run(port=…) states is still taken.
  defaultPort: 8000,
  defaultEntrypoint: 'app:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as app:app, or app:application for bottle.default_app()',
  stubPackages: ['bottle', 'gunicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: (tree) => findAppObject(tree, 'Bottle', 'bottle') ?? findAppObject(tree, 'default_app', 'bottle'),
  servers: ['gunicorn'],
  cmdServer: 'gunicorn',
  findHealthPath: bottleHealthPath,
  command: (entry, port, server) => gunicorn(entry, port, server),
};
