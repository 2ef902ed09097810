/**
 * Without a lock, `name==version` pins in requirements files are looked up on the
 * package index the user's tools already use, so their wheels narrow the Python
 * version as a lock's do. The simple API (PEP 691 JSON, PEP 503 HTML when the
 * index has no JSON), all names in parallel, 3 seconds in all; only the package
 * names are sent. No answer in time: one line, and the run goes on.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { smolToml } from '../lazy-dependencies.js';
import { managerOf, packageManagerSpecs, type IndexContext } from '../package-managers/index.js';
import { includePath, normaliseName, REQUIREMENTS_CANDIDATES, walkRequirements } from './requirements.js';
import type { ProjectTree } from './project-tree.js';
import type { LockedPackage, LockedSet } from './wheels.js';

export const PUBLIC_INDEX = 'https://pypi.org/simple/';
/** The whole check's time limit. */
export const INDEX_TIMEOUT_MS = 3000;
/** Requests in flight at once. */
const PARALLEL = 16;

export interface Pin {
  name: string;
  version: string;
}

export interface IndexCheck {
  /** The pins' files as the index lists them; undefined when not checked. */
  packages?: LockedSet;
  /** The one line saying the pins were not checked, and why. */
  warning?: string;
  /** How many pins were asked about. */
  asked: number;
}

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9.!+_-]+)\s*(?:;.*)?$/;

/**
 * The requirements file, and the `name==version` pins in it and in what it includes with -r;
 * undefined when a lock lists the files.
 */
export function pinnedRequirements(tree: ProjectTree): { file: string; pins: Pin[]; indexUrl?: string } | undefined {
  // A lock that lists each package's files says what installs; no index to ask.
  if (packageManagerSpecs().some((spec) => spec.lockedPackages && spec.lock && tree.has(spec.lock))) return undefined;
  const main = REQUIREMENTS_CANDIDATES.find((p) => tree.has(p));
  if (!main) return undefined;
  const pins = new Map<string, Pin>();
  let indexUrl: string | undefined;
  // What pip installs: the file and its -r includes (a -c constraint file installs nothing).
  const walked = walkRequirements(tree, [main], (path, parsed) =>
    parsed.requires.map((include) => includePath(path, include)).filter((t): t is string => t !== undefined),
  );
  for (const { parsed } of walked) {
    for (const line of parsed.lines) {
      indexUrl ??= /^(?:-i|--index-url)(?:\s*=\s*|\s+)(\S+)/.exec(line)?.[1];
      const pin = PIN.exec(line.replace(/\s+--hash\S*/g, ''));
      const name = pin && normaliseName(pin[1]);
      if (name && !pin[2].includes('*')) pins.set(name, { name, version: pin[2] });
    }
  }
  return pins.size ? { file: main, pins: [...pins.values()], indexUrl } : undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function tomlFile(path: string): Record<string, any> | undefined {
  const text = readText(path);
  try {
    return text === undefined ? undefined : smolToml().parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The index the user's tools use, first found: the requirements file's --index-url, then what each
 * package manager's settings name (its plugin's indexUrls: pip's first); else PyPI.
 */
export function userIndex(
  tree: ProjectTree,
  fromFile?: string,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): { url: string; from: string } {
  const context: IndexContext = {
    tree,
    env,
    home,
    config: env.XDG_CONFIG_HOME || join(home, '.config'),
    readText,
    readToml: tomlFile,
  };
  // pip's settings first (the image installs with pip or a manager's own tool), then each manager's.
  const specs = [managerOf('requirements'), ...packageManagerSpecs().filter((s) => s !== managerOf('requirements'))];
  const found: [string | undefined, string][] = [
    [fromFile, 'the requirements file'],
    ...specs.flatMap((spec) => spec.indexUrls?.(context) ?? []),
  ];
  const [url, from] = found.find(([u]) => u) ?? [PUBLIC_INDEX, 'the public index'];
  return { url: url!, from };
}

/** File names an index page lists: PEP 691 JSON `files[].filename`, or PEP 503 HTML anchors. */
function listedFiles(body: string, json: boolean): string[] {
  if (json) return ((JSON.parse(body).files ?? []) as { filename?: string }[]).map((f) => String(f.filename ?? ''));
  return [...body.matchAll(/<a\b[^>]*>([^<]+)<\/a>/gi)].map((m) => m[1].trim());
}

/** A file of this version: `name-1.0-….whl`, `name-1.0.tar.gz` (names compared normalised). */
function ofVersion(file: string, pin: Pin): boolean {
  const m = /^(.+?)-(\d[^-]*?)(?:-.+\.whl|\.tar\.gz|\.zip|\.tar\.bz2)$/.exec(file);
  return Boolean(m && normaliseName(m[1]) === pin.name && m[2] === pin.version);
}

/** Credentials in the URL (`https://user:token@host/simple/`) go in a header: fetch refuses them in the URL. */
function request(base: string, name: string): { url: string; headers: Record<string, string> } {
  const url = new URL(`${base.replace(/\/+$/, '')}/${name}/`);
  const headers: Record<string, string> = { Accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' };
  if (url.username) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = url.password = '';
  }
  return { url: url.toString(), headers };
}

/** Looks each pin up on the index; every answer in within `timeoutMs`, or none used. */
export async function checkPins(
  tree: ProjectTree,
  options: { env?: NodeJS.ProcessEnv; home?: string; timeoutMs?: number } = {},
): Promise<IndexCheck> {
  const pinned = pinnedRequirements(tree);
  if (!pinned) return { asked: 0 };
  const index = userIndex(tree, pinned.indexUrl, options.env, options.home);
  const timeoutMs = options.timeoutMs ?? INDEX_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const queue = [...pinned.pins];
  const packages: LockedPackage[] = [];
  const worker = async () => {
    for (let pin = queue.shift(); pin; pin = queue.shift()) {
      const { url, headers } = request(index.url, pin.name);
      const response = await fetch(url, { headers, signal, redirect: 'follow' });
      const body = await response.text();
      if (response.status === 404) continue; // not on this index: nothing to learn
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${pin.name}`);
      const json = /json/.test(response.headers.get('content-type') ?? '');
      const files = listedFiles(body, json).filter((f) => ofVersion(f, pin!));
      const wheels = files.filter((f) => f.endsWith('.whl'));
      packages.push({ name: pin.name, version: pin.version, wheels, hasSdist: files.length > wheels.length });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  } catch (error) {
    const cause = (error as Error).cause as Error | undefined;
    const failed = cause?.message ?? (error as Error).message;
    const why = signal.aborted ? `no answer within ${timeoutMs / 1000} s` : failed;
    const host = /^\w+:\/\/(?:[^@/]*@)?([^/]+)/.exec(index.url)?.[1] ?? index.url;
    return {
      asked: pinned.pins.length,
      warning:
        `the pins in ${pinned.file} were not checked against ${host} (${index.from}): ${why}; ` +
        'their wheels do not narrow the Python version (--offline skips this check)',
    };
  }
  packages.sort((a, b) => a.name.localeCompare(b.name));
  return { asked: pinned.pins.length, packages: { source: `${pinned.file} pins`, packages } };
}
