/**
 * aiohttp's web server: a `web.Application()` (or a factory returning one) behind gunicorn's aiohttp worker.
 * aiohttp is also the HTTP client of many bots and scrapers: declared alone it is not a web framework.
 */
import { APP_RE, isFactory, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import { gunicorn } from './gunicorn.js';
import type { FoundEntrypoint, FoundHealthPath, FrameworkPlugin } from './plugin.js';
import { best, sourceFiles } from './routes.js';
import { findModule } from '../project/modules.js';
import type { ProjectTree } from '../project/project-tree.js';

const WORKER = 'aiohttp.GunicornWebWorker';
/** `from aiohttp import web`, `from aiohttp.web import Application`, `import aiohttp.web`. */
const WEB_IMPORT = /^[ \t]*(?:from[ \t]+aiohttp[ \t]+import[^\n]*\bweb\b|(?:from|import)[ \t]+aiohttp\.web\b)/m;

/**
 * The Application: the worker awaits a coroutine function itself (`app:create_app`), while gunicorn
 * calls a plain factory (`app:create_app()`).
 */
function findApplication(tree: ProjectTree): FoundEntrypoint | undefined {
  const found = findAppObject(tree, 'Application', 'aiohttp');
  // Another library's Application (Tornado's) in a file that uses aiohttp's client is not aiohttp's.
  const files = [...(found?.source.matchAll(/ in (\S+\.py)\b/g) ?? [])].map((m) => m[1]);
  if (!found || !files.some((file) => WEB_IMPORT.test(tree.read(file) ?? ''))) return undefined;
  if (!isFactory(found.entrypoint)) return found;
  const [module, call] = found.entrypoint.split(':');
  const name = call.slice(0, -2);
  const text = tree.read(findModule(tree, module)?.file ?? '') ?? '';
  const async = new RegExp(`^async[ \\t]+def[ \\t]+${name}[ \\t]*\\(`, 'm').test(text);
  return async ? { ...found, entrypoint: `${module}:${name}` } : found;
}

/**
 * `app.router.add_get("/health", …)`, `web.get("/health", …)` in `add_routes([…])`, and
 * `@routes.get("/health")` on a `web.RouteTableDef()`.
 */
export function routerHealthPath(tree: ProjectTree): FoundHealthPath | undefined {
  const found: FoundHealthPath[] = [];
  const calls = [
    /\.add_(?:get|head|route)\s*\(\s*(?:['"](?:GET|HEAD|\*)['"]\s*,\s*)?['"](\/[^'"]*)['"]/g,
    /\bweb\.(?:get|head|route)\s*\(\s*(?:['"](?:GET|HEAD|\*)['"]\s*,\s*)?['"](\/[^'"]*)['"]/g,
  ];
  for (const { file, text } of sourceFiles(tree)) {
    for (const re of calls)
      for (const m of text.matchAll(re)) found.push({ value: m[1], source: `${m[0]}…) in ${file}` });
    const tables = [...text.matchAll(/^([A-Za-z_]\w*)\s*=\s*(?:web\.)?RouteTableDef\s*\(/gm)].map((m) => m[1]);
    for (const m of text.matchAll(/^\s*@([A-Za-z_]\w*)\.(?:get|head|route)\s*\(\s*['"](\/[^'"]*)['"]/gm))
      if (tables.includes(m[1])) found.push({ value: m[2], source: `@${m[1]}.…("${m[2]}") in ${file}` });
  }
  return best(found);
}

export const aiohttp: FrameworkPlugin = {
  id: 'aiohttp',
  label: 'aiohttp',
  packages: ['aiohttp'],
  needsApp: true,
  web: true,
  defaultPort: 8080,
  defaultEntrypoint: 'app:app',
  entrypointShape: 'module:app',
  entrypointHelp:
    'module:attribute such as app:app, a coroutine factory such as app:create_app, ' +
    'or a plain factory such as app:create_app()',
  stubPackages: ['aiohttp', 'gunicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: findApplication,
  servers: ['gunicorn'],
  cmdServer: 'gunicorn',
  findHealthPath: routerHealthPath,
  command: (entry, port, server) => {
    const chosen = server?.args.some((a) => a === '-k' || a === '--worker-class');
    const worker = chosen ? [] : ['--worker-class', WORKER];
    return gunicorn(entry, port, { args: [...worker, ...(server?.args ?? [])], portFromEnv: !!server?.portFromEnv });
  },
};
