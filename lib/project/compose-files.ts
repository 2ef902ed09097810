/**
 * The project's own Compose files. When it has one, a compose.yaml of ours
 * would shadow it (`docker compose` picks compose.yaml first) and its
 * app+database setup would silently stop being used: so we never write one,
 * and say what to add to theirs instead.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_LIMIT, readRegularFile } from '../safe-files.js';
import type { ProjectTree } from './project-tree.js';
import { MAX_COMMAND, shellWords } from './shell-words.js';

/**
 * What `docker compose` reads by default, in its order of preference,
 * and the `-f` variants (docker-compose.prod.yml).
 */
const DEFAULT_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const COMPOSE_NAME = /^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/i;
/** `docker compose` merges these into the default file: alone, they are no project's Compose file, only overrides. */
const OVERRIDE_NAME = /^(?:docker-)?compose\.override\.ya?ml$/i;

/** Compose's merge tags (`!reset`, `!override`), on a scalar, a list or a map: read as their value, with no warning. */
const COMPOSE_TAGS = ['!reset', '!override'].flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, resolve: <T>(seq: T) => seq },
  { tag, collection: 'map' as const, resolve: <T>(map: T) => map },
]);

export interface ProjectCompose {
  /** The file to add to: the one `docker compose` reads by default, else the first variant. */
  file: string;
  /** The service there that already builds this folder's Dockerfile, if one does. */
  buildingService?: string;
  /** The name to give the service: the building one, else `app` (or a free name when `app` is taken). */
  serviceName: string;
}

/** The Compose files at the project's root, except those the generator wrote (`ours`): default names first. */
export function projectComposeFiles(dir: string | ProjectTree, ours: Iterable<string> = []): string[] {
  const own = new Set(ours);
  let names: string[];
  try {
    // The walk's root files when the project is already read; else the folder itself.
    names = (
      typeof dir === 'string'
        ? readdirSync(dir, { withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => e.name)
        : dir.files.filter((f) => !f.includes('/'))
    ).filter((name) => COMPOSE_NAME.test(name) && !own.has(name));
  } catch {
    return [];
  }
  const rank = (name: string) => (DEFAULT_NAMES.includes(name) ? DEFAULT_NAMES.indexOf(name) : DEFAULT_NAMES.length);
  // An override beside no default file overrides ours: the run keeps managing compose.yaml.
  if (!names.some((n) => DEFAULT_NAMES.includes(n))) names = names.filter((n) => !OVERRIDE_NAME.test(n));
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** `command:` values of a compose file's services (string, flow list or block list). */
function commandsIn(text: string): string[][] {
  const out: string[][] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^[ \t]+command:(.*)$/.exec(lines[i]);
    if (!m) continue;
    const value = m[1].trim();
    if (value.length > MAX_COMMAND) continue;
    if (value.startsWith('[')) {
      try {
        out.push((JSON.parse(value) as unknown[]).map(String));
      } catch {
        out.push(shellWords(value.slice(1, -1).replace(/,/g, ' ')));
      }
    } else if (value && !value.startsWith('#')) {
      out.push(shellWords(value.replace(/^(["'])(.*)\1$/, '$2')));
    } else {
      const words: string[] = [];
      for (let j = i + 1; j < lines.length && /^\s+-\s/.test(lines[j]); j++)
        words.push(...shellWords(lines[j].replace(/^\s+-\s+/, '')));
      if (words.length) out.push(words);
    }
  }
  return out;
}

/**
 * The `command:` of each service in the project's default Compose files (not those the generator wrote), read
 * line by line: detection runs before YAML is loaded, which only the scan after the answers needs.
 */
export function composeCommands(
  tree: ProjectTree,
  generated: ReadonlySet<string>,
): { file: string; words: string[] }[] {
  return DEFAULT_NAMES.filter((file) => !generated.has(file) && tree.has(file)).flatMap((file) =>
    commandsIn(tree.read(file) ?? '').map((words) => ({ file, words })),
  );
}

type Build = string | { context?: string; dockerfile?: string } | undefined;

/** Builds the Dockerfile at the project's root: `build: .` or a context of `.` with the default Dockerfile. */
function buildsThisFolder(build: Build): boolean {
  const here = (path: unknown) => path === '.' || path === './';
  if (typeof build === 'string') return here(build);
  if (!build || typeof build !== 'object') return false;
  return here(build.context ?? '.') && (build.dockerfile === undefined || build.dockerfile === 'Dockerfile');
}

/** Where to add our service, and under what name; undefined when the project has no Compose file of its own. */
export async function projectCompose(
  dir: string,
  ours: Iterable<string> = [],
  tree?: ProjectTree,
): Promise<ProjectCompose | undefined> {
  const files = projectComposeFiles(tree ?? dir, ours);
  if (!files.length) return undefined;
  const { parse } = await import('yaml');
  const names = new Set<string>();
  let building: { file: string; service: string } | undefined;
  for (const file of files) {
    let services: Record<string, { build?: Build } | null> | undefined;
    try {
      // Read once: the walk's text when the project is already read.
      const text = tree?.read(file) ?? readRegularFile(join(dir, file), { limit: TARGET_LIMIT, follow: true }) ?? '';
      services = parse(text, { customTags: COMPOSE_TAGS, logLevel: 'error' })?.services;
    } catch {
      continue; // not YAML we can read: advise the full service
    }
    if (!services || typeof services !== 'object') continue;
    for (const [name, service] of Object.entries(services)) {
      names.add(name);
      if (!building && buildsThisFolder(service?.build)) building = { file, service: name };
    }
  }
  if (building) return { file: building.file, buildingService: building.service, serviceName: building.service };
  const serviceName = ['app', 'python-app', 'app-docker'].find((n) => !names.has(n)) ?? 'app';
  return { file: files[0], serviceName };
}
