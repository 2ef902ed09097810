/**
 * The framework registry: one plugin file per framework (plugin.ts says what each declares), listed
 * here in the order shown to users (--help, the prompt, the refusal line), which also breaks ties when
 * several are declared. Adding a framework: its file, one line in REGISTRY, its fixtures and tests.
 */
import { aiohttp } from './aiohttp.js';
import { asgi } from './asgi.js';
import { bottle } from './bottle.js';
import { dash } from './dash.js';
import { django } from './django.js';
import { falcon, falconAsgi } from './falcon.js';
import { fastapi } from './fastapi.js';
import { flask } from './flask.js';
import { gradio } from './gradio.js';
import { litestar } from './litestar.js';
import { none } from './none.js';
import type { FrameworkPlugin } from './plugin.js';
import type { CommandLineTool } from '../project/run-commands.js';
import { pyramid } from './pyramid.js';
import { quart } from './quart.js';
import { sanic } from './sanic.js';
import { starlette } from './starlette.js';
import { streamlit } from './streamlit.js';
import { wsgi } from './wsgi.js';

export { isFactory } from './entrypoints.js';
export type { CommandLineTool } from '../project/run-commands.js';
export type { FoundEntrypoint, FoundHealthPath, FrameworkPlugin } from './plugin.js';

// The order users see (--help, the prompt): the most used first. It breaks ties too, after the plugins
// marked triedFirst (Django; Quart, often declared beside Flask; Dash, built on Flask): FastAPI before
// Starlette, aiohttp (often only a client) late, Falcon before its ASGI flavour (which claims falcon.asgi apps).
const REGISTRY: FrameworkPlugin[] = [
  fastapi,
  flask,
  django,
  streamlit,
  starlette,
  quart,
  litestar,
  sanic,
  aiohttp,
  falcon,
  falconAsgi,
  pyramid,
  bottle,
  dash,
  gradio,
  asgi,
  wsgi,
  none,
];

/** A framework's id (the --framework value). */
export type Framework = string;

/** The ids, in registry order (live: registerFramework adds to it). */
export const FRAMEWORKS: string[] = REGISTRY.map((p) => p.id);

/** What a project with dependencies but no framework among them runs as: a script or worker. */
export const FALLBACK_FRAMEWORK = none.id;
/** The prompt's default when nothing is detected. */
export const DEFAULT_FRAMEWORK = fastapi.id;

export function frameworkPlugins(): readonly FrameworkPlugin[] {
  return REGISTRY;
}

export function isFramework(id: string): boolean {
  return REGISTRY.some((p) => p.id === id);
}

/** The plugin for an id; an unknown id (a stored answer from elsewhere) is refused before it gets here. */
export function frameworkPlugin(id: string): FrameworkPlugin {
  const plugin = REGISTRY.find((p) => p.id === id);
  if (!plugin) throw new Error(`unknown framework ${id}`);
  return plugin;
}

/**
 * Adds a framework (tests; a plugin of one's own): before `before` (an id), else before the fallback,
 * which stays last.
 */
export function registerFramework(plugin: FrameworkPlugin, options: { before?: string } = {}): void {
  if (isFramework(plugin.id)) throw new Error(`framework ${plugin.id} is already registered`);
  const at = REGISTRY.findIndex((p) => p.id === (options.before ?? FALLBACK_FRAMEWORK));
  REGISTRY.splice(at < 0 ? REGISTRY.length : at, 0, plugin);
  FRAMEWORKS.splice(0, FRAMEWORKS.length, ...REGISTRY.map((p) => p.id));
}

/** Frameworks whose distributions the project declares, in the order they are tried. */
export function declaredFrameworks(declared: ReadonlyMap<string, unknown>): FrameworkPlugin[] {
  const found = REGISTRY.filter((p) => p.packages.some((pkg) => declared.has(pkg)));
  return [...found.filter((p) => p.triedFirst), ...found.filter((p) => !p.triedFirst)];
}

/** The first of a plugin's distributions the project declares. */
export function declaredPackage(plugin: FrameworkPlugin, declared: ReadonlyMap<string, unknown>): string | undefined {
  return plugin.packages.find((pkg) => declared.has(pkg));
}

/** Every framework's own command-line tools, for reading run commands. */
export function commandLineTools(): CommandLineTool[] {
  return REGISTRY.flatMap((p) => p.cli ?? []);
}
