/**
 * The project's own Compose files. When it has one, a compose.yaml of ours
 * would shadow it (`docker compose` picks compose.yaml first) and its
 * app+database setup would silently stop being used: so we never write one,
 * and say what to add to theirs instead.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_LIMIT, readRegularFile } from '../safe-files.js';

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
export function projectComposeFiles(dir: string, ours: Iterable<string> = []): string[] {
  const own = new Set(ours);
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && COMPOSE_NAME.test(e.name) && !own.has(e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
  const rank = (name: string) => (DEFAULT_NAMES.includes(name) ? DEFAULT_NAMES.indexOf(name) : DEFAULT_NAMES.length);
  // An override beside no default file overrides ours: the run keeps managing compose.yaml.
  if (!names.some((n) => DEFAULT_NAMES.includes(n))) names = names.filter((n) => !OVERRIDE_NAME.test(n));
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
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
export async function projectCompose(dir: string, ours: Iterable<string> = []): Promise<ProjectCompose | undefined> {
  const files = projectComposeFiles(dir, ours);
  if (!files.length) return undefined;
  const { parse } = await import('yaml');
  const names = new Set<string>();
  let building: { file: string; service: string } | undefined;
  for (const file of files) {
    let services: Record<string, { build?: Build } | null> | undefined;
    try {
      const text = readRegularFile(join(dir, file), { limit: TARGET_LIMIT, follow: true }) ?? '';
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
