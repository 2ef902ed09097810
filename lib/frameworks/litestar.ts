/** Litestar: an ASGI app object (or factory) behind uvicorn; handlers are `@get("/path")` functions and Controllers. */
import { APP_RE, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import type { FoundHealthPath, FrameworkPlugin } from './plugin.js';
import { best, callArguments, sourceFiles } from './routes.js';
import { uvicorn } from './uvicorn.js';
import type { ProjectTree } from '../project/project-tree.js';

/**
 * `@get("/health")` (or `path="/health"`) on a module-level handler, or on a method of a Controller,
 * under the Controller's own `path = "…"`.
 */
export function handlerHealthPath(tree: ProjectTree): FoundHealthPath | undefined {
  const found: FoundHealthPath[] = [];
  for (const { file, text } of sourceFiles(tree)) {
    for (const m of text.matchAll(/^([ \t]*)@(get|head|route)\s*\(/gm)) {
      const args = callArguments(text, m.index + m[0].length);
      const path = /^\s*['"](\/[^'"]*)['"]|\bpath\s*=\s*['"](\/[^'"]*)['"]/.exec(args);
      if (!path) continue;
      let prefix = '';
      if (m[1]) {
        // A method: the class it is in, and that class's own path.
        const before = text.slice(0, m.index);
        const classes = [...before.matchAll(/^class\s+\w+\s*\(([^)]*)\)\s*:/gm)];
        const owner = classes.at(-1);
        if (!owner || !/Controller/.test(owner[1])) continue;
        const body = before.slice(owner.index);
        prefix = /^[ \t]+path\s*(?::[^=\n]+)?=\s*['"]([^'"]*)['"]/m.exec(body)?.[1]?.replace(/\/+$/, '') ?? '';
      }
      const value = `${prefix}${path[1] ?? path[2]}`;
      found.push({ value, source: `@${m[2]}("${path[1] ?? path[2]}") in ${file}` });
    }
  }
  return best(found);
}

export const litestar: FrameworkPlugin = {
  id: 'litestar',
  label: 'Litestar',
  packages: ['litestar'],
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'app:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as app:app, or a factory such as app.asgi:create_app()',
  stubPackages: ['litestar', 'uvicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: (tree) => findAppObject(tree, 'Litestar', 'litestar'),
  servers: ['uvicorn', 'granian', 'hypercorn', 'gunicorn'],
  cmdServer: 'uvicorn',
  findHealthPath: handlerHealthPath,
  // Litestar's docs run it with `uvicorn app:app`.
  command: uvicorn,
};
