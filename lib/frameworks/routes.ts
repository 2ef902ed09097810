/**
 * Health endpoints the code declares, for the HEALTHCHECK to probe instead of `/` (which for some apps
 * opens the database or writes to it). Only routes whose full path the code states. Helpers the
 * framework plugins share: a decorator finder with the class and mount names as data.
 */
import type { ProjectTree } from '../project/project-tree.js';
import type { FoundHealthPath } from './plugin.js';

/** Last path segments that name a health endpoint, best first (liveness before readiness). */
const HEALTH_NAMES = [
  'healthz',
  'health',
  'livez',
  'healthcheck',
  'health-check',
  'health_check',
  '_health',
  'ping',
  'readyz',
];
/** Files read at most: detection stays cheap on a large project. */
const MAX_FILES = 300;

const rank = (path: string): number => {
  const last = path.split('?')[0].replace(/\/+$/, '').split('/').at(-1) ?? '';
  const i = HEALTH_NAMES.indexOf(last.toLowerCase());
  return i < 0 ? Infinity : i;
};

/** Python files worth reading: not tests or migrations; only those naming a health endpoint or `alsoNaming`. */
export function sourceFiles(tree: ProjectTree, alsoNaming: string[] = []): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const worth = new RegExp(['health|ping|livez|readyz', ...alsoNaming].join('|'), 'i');
  for (const file of tree.files) {
    if (out.length >= MAX_FILES) break;
    if (!file.endsWith('.py') || /(^|\/)(tests?|migrations)\//.test(file)) continue;
    const text = tree.read(file);
    if (text && worth.test(text)) out.push({ file, text });
  }
  return out;
}

/** The text of a call's arguments, from just after its `(` to the matching `)`. */
export function callArguments(text: string, start: number): string {
  let depth = 1;
  for (let i = start; i < text.length && i < start + 2000; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(start, i);
  }
  return 'prefix'; // unbalanced: assume the worst
}

/** The path that best names a health endpoint, if any does. */
export function best(found: FoundHealthPath[]): FoundHealthPath | undefined {
  return found.filter((f) => rank(f.value) !== Infinity).sort((a, b) => rank(a.value) - rank(b.value))[0];
}

/** The module a file is imported as, by its last segment: `app/routes/ping.py` and `ping/__init__.py` are `ping`. */
const moduleName = (file: string) =>
  file
    .replace(/\.py$/, '')
    .replace(/\/__init__$/, '')
    .split('/')
    .at(-1);

/** The names a decorator-routed framework uses: FastAPI's `FastAPI`, `APIRouter`, `include_router`. */
export interface DecoratorRouting {
  appClass: string;
  routerClass: string;
  mountCall: string;
}

/**
 * `@app.get("/health")`, `@app.route("/healthz")`, and `@router.get("/ping")` on a router
 * or blueprint that has no prefix of its own and is mounted without one (`app.include_router(ping.router)`).
 */
export function decoratorHealthPath(tree: ProjectTree, routing: DecoratorRouting): FoundHealthPath | undefined {
  const { appClass, routerClass, mountCall } = routing;
  const files = sourceFiles(tree, [mountCall]);
  // `from .ping import router as ping_router`: the mount names the alias.
  const aliases = new Map<string, string>();
  for (const { text } of files) {
    for (const m of text.matchAll(/^\s*from\s+([\w.]+)\s+import\s+(\w+)\s+as\s+(\w+)/gm)) {
      aliases.set(m[3], `${m[1].split('.').at(-1)}.${m[2]}`);
    }
  }
  // Each mount: what it mounts (`ping.router`, `router`) and whether under a prefix.
  const mounts: { module?: string; name: string; prefixed: boolean }[] = [];
  for (const { text } of files) {
    for (const m of text.matchAll(new RegExp(`\\.${mountCall}\\(`, 'g'))) {
      const args = callArguments(text, m.index + m[0].length);
      const written = /^\s*([\w.]+)/.exec(args)?.[1] ?? '';
      const parts = (aliases.get(written) ?? written).split('.');
      mounts.push({ module: parts.at(-2), name: parts.at(-1)!, prefixed: /prefix/.test(args) });
    }
  }
  const apps = new Set<string>();
  const routers = new Map<string, boolean>(); // file:name → at the root
  for (const { file, text } of files) {
    for (const m of text.matchAll(
      new RegExp(`^([A-Za-z_]\\w*)\\s*(?::[^=\\n]+)?=\\s*(?:\\w+\\.)?(${appClass}|${routerClass})\\s*\\(`, 'gm'),
    )) {
      if (m[2] === appClass) {
        apps.add(m[1]);
        continue;
      }
      const ownPrefix = /prefix/.test(callArguments(text, m.index + m[0].length));
      const names = (mount: (typeof mounts)[number]) =>
        mount.name === m[1] && (!mount.module || mount.module === moduleName(file));
      const mountedUnder = mounts.some((mount) => mount.prefixed && names(mount));
      routers.set(`${file}:${m[1]}`, !ownPrefix && !mountedUnder);
    }
  }
  const found: FoundHealthPath[] = [];
  const decorator = /^\s*@([A-Za-z_]\w*)\.(?:get|head|route|api_route)\(\s*['"](\/[^'"]*)['"]/gm;
  for (const { file, text } of files) {
    for (const m of text.matchAll(decorator)) {
      const atRoot = apps.has(m[1]) || routers.get(`${file}:${m[1]}`);
      if (atRoot) found.push({ value: m[2], source: `@${m[1]}.…("${m[2]}") in ${file}` });
    }
  }
  return best(found);
}
