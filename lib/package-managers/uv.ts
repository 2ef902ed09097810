/** uv: its signals, files, lock, Python range and pinned tool; its builder is templates/dockerfile/builder-uv.ejs. */
import { markerAllows, normalise, packageOf, type LockedPackage } from '../project/locked-package.js';
import { PYTHON_VERSIONS } from '../versions.js';
import { join } from 'node:path';
import type { PackageManagerSpec } from './plugin.js';
import { lockSignal, hasBuildSystem } from './signals.js';

interface Edge {
  name: string;
  version?: string;
  marker?: string;
  extra?: string[];
}

/**
 * uv.lock: the closure of the project's runtime dependencies per Python:
 * no dev groups, no extras it does not ask for.
 */
function fromUvLock(data: Record<string, any>): LockedPackage[] {
  const all = (data.package ?? []) as Record<string, any>[];
  const local = (p: Record<string, any>) => p.source?.virtual !== undefined || p.source?.editable !== undefined;
  const roots = all.filter((p) => p.source?.virtual === '.' || p.source?.editable === '.');
  const starts = roots.length ? roots : all.filter(local);
  if (!starts.length) return all.map((p) => uvPackage(p)); // no project entry: every locked package
  const byName = new Map<string, Record<string, any>[]>();
  for (const p of all) byName.set(normalise(String(p.name)), [...(byName.get(normalise(String(p.name))) ?? []), p]);
  const on = new Map<Record<string, any>, Set<string>>();
  for (const minor of PYTHON_VERSIONS) {
    const queue = [...starts];
    const seen = new Set(queue);
    while (queue.length) {
      const pkg = queue.shift()!;
      on.set(pkg, (on.get(pkg) ?? new Set()).add(minor));
      const edges: Edge[] = [...(pkg.dependencies ?? [])];
      for (const e of [...edges]) {
        // `fastapi[standard]`: the extra's dependencies come from fastapi's optional-dependencies.
        for (const extra of e.extra ?? []) {
          const target = byName.get(normalise(e.name))?.find((p) => !e.version || p.version === e.version);
          const both = (x: Edge) =>
            [e.marker, x.marker]
              .filter(Boolean)
              .map((m) => `(${m})`)
              .join(' and ');
          const extras = (target?.['optional-dependencies']?.[extra] ?? []) as Edge[];
          edges.push(...extras.map((x) => ({ ...x, marker: both(x) })));
        }
      }
      for (const e of edges) {
        if (!markerAllows(e.marker, minor)) continue;
        const candidates = byName.get(normalise(e.name)) ?? [];
        const forks = (p: Record<string, any>) => markerAllows(p['resolution-markers']?.join?.(' or '), minor);
        const target = candidates.find((p) => (!e.version || p.version === e.version) && forks(p)) ?? candidates[0];
        if (target && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
  }
  return [...on].filter(([p]) => !local(p)).map(([p, minors]) => uvPackage(p, minors));
}

function uvPackage(pkg: Record<string, any>, on?: Set<string>): LockedPackage {
  const files = (pkg.wheels ?? []).map((w: Record<string, any>) => String(w.url ?? w.path ?? w.filename ?? ''));
  // A path, git or directory source builds from its sources.
  const builds = Boolean(pkg.sdist) || (pkg.source && !pkg.source.registry && !pkg.source.url);
  return packageOf(pkg, files, builds, on);
}

/** uv's default index: `[[index]]` marked default, or the older `index-url`. */
function uvIndex(settings: Record<string, any> | undefined): string | undefined {
  const indexes = Array.isArray(settings?.index) ? settings.index : [];
  return indexes.find((i: Record<string, any>) => i.default === true)?.url ?? settings?.['index-url'];
}

export const uv: PackageManagerSpec = {
  id: 'uv',
  label: 'uv',
  manifest: 'pyproject.toml',
  lock: 'uv.lock',
  dependencyFiles: ['pyproject.toml', 'uv.lock'],
  lockCommand: 'uv lock',
  addCommand: 'uv add',
  runPrefix: [['uv', 'run']],
  versionArg: 'UV_VERSION',
  cacheDir: '/root/.cache/uv',
  compilesBytecode: 'UV_COMPILE_BYTECODE',
  declares: 'pyproject.toml',
  installLabel: 'dependencies locked by uv',
  signal: (files) => lockSignal(files, 'uv.lock', 'pyproject.toml'),
  installsProject: hasBuildSystem,
  // The lock repeats the project's requires-python, which a range states (pyproject.toml's, when there, comes first).
  python: (tree) => {
    const range = /^requires-python\s*=\s*"([^"]*)"/m.exec(tree.read('uv.lock') ?? '')?.[1];
    return range ? [{ source: 'uv.lock', raw: range, range: true }] : [];
  },
  lockedPackages: fromUvLock,
  indexUrls: ({ tree, env, config, readToml }) => [
    [env.UV_DEFAULT_INDEX || env.UV_INDEX_URL, 'UV_INDEX_URL'],
    [uvIndex(tree.toml('uv.toml')), 'uv.toml'],
    [uvIndex(tree.toml('pyproject.toml')?.tool?.uv), 'pyproject.toml [tool.uv]'],
    [uvIndex(readToml(join(config, 'uv', 'uv.toml'))), join(config, 'uv', 'uv.toml')],
  ],
};
