/** Starlette: an ASGI app object (or factory) behind uvicorn; routes as `Route(…)` lists, `Mount(…)`s, decorators. */
import { APP_RE, match } from './entrypoints.js';
import { findAppObject } from './finders.js';
import type { FoundHealthPath, FrameworkPlugin } from './plugin.js';
import { best, callArguments, decoratorHealthPath, sourceFiles } from './routes.js';
import { uvicorn } from './uvicorn.js';
import type { ProjectTree } from '../project/project-tree.js';

/** Where the bracketed text opening at `open` (`(` or `[`) ends. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 20_000; i++) {
    if (text[i] === '(' || text[i] === '[') depth++;
    else if ((text[i] === ')' || text[i] === ']') && --depth === 0) return i;
  }
  return text.length;
}

/**
 * `Route("/health", endpoint)` in a routes list, under the prefixes of the `Mount("/api", routes=[…])`s
 * around it, and of a mount naming its list (`Mount("/api", routes=api_routes)`).
 */
export function routeListHealthPath(tree: ProjectTree): FoundHealthPath | undefined {
  const files = sourceFiles(tree, ['Mount']);
  // A list or router mounted by name (`routes=api_routes`, `app=api`), under its prefix.
  const mountedNames = new Map<string, string>();
  for (const { text } of files) {
    for (const m of text.matchAll(/\bMount\s*\(/g)) {
      const args = callArguments(text, m.index + m[0].length);
      const prefix = /^\s*(?:path\s*=\s*)?['"]([^'"]*)['"]/.exec(args)?.[1];
      const name = /\b(?:routes|app)\s*=\s*([A-Za-z_]\w*)\b(?!\s*[.([])/.exec(args)?.[1];
      if (prefix !== undefined && name) mountedNames.set(name, prefix);
    }
  }
  const found: FoundHealthPath[] = [];
  for (const { file, text } of files) {
    const spans: { start: number; end: number; prefix: string }[] = [];
    for (const m of text.matchAll(/\bMount\s*\(/g)) {
      const prefix = /^\s*(?:path\s*=\s*)?['"]([^'"]*)['"]/.exec(text.slice(m.index + m[0].length))?.[1];
      if (prefix !== undefined) spans.push({ start: m.index, end: closing(text, m.index + m[0].length - 1), prefix });
    }
    for (const m of text.matchAll(/^([A-Za-z_]\w*)\s*(?::[^=\n]+)?=\s*(?:\[|\w+\s*\()/gm)) {
      const prefix = mountedNames.get(m[1]);
      if (prefix !== undefined) spans.push({ start: m.index, end: closing(text, m.index + m[0].length - 1), prefix });
    }
    for (const m of text.matchAll(/\bRoute\s*\(\s*(?:path\s*=\s*)?['"](\/[^'"]*)['"]/g)) {
      const prefix = spans
        .filter((s) => s.start < m.index && m.index < s.end)
        .sort((a, b) => a.start - b.start)
        .map((s) => s.prefix.replace(/\/+$/, ''))
        .join('');
      found.push({ value: `${prefix}${m[1]}`, source: `Route("${m[1]}", …) in ${file}` });
    }
  }
  return best(found);
}

export const starlette: FrameworkPlugin = {
  id: 'starlette',
  label: 'Starlette',
  packages: ['starlette'],
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'main:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as main:app, or a factory such as main:create_app()',
  stubPackages: ['starlette', 'uvicorn'],
  healthPath: '/',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: (tree) => findAppObject(tree, 'Starlette', 'starlette'),
  servers: ['uvicorn', 'gunicorn', 'hypercorn'],
  cmdServer: 'uvicorn',
  findHealthPath: (tree) =>
    best(
      [
        routeListHealthPath(tree),
        decoratorHealthPath(tree, { appClass: 'Starlette', routerClass: 'Router', mountCall: 'mount' }),
      ].filter((f) => f !== undefined),
    ),
  command: uvicorn,
};
