/** Poetry: its signals, files, lock, declared dependencies, Python range and pinned tool; its builder stage is
 * templates/dockerfile/builder-poetry.ejs. */
import { folder, parent } from '../project/folders.js';
import { minorsWhere, normalise, packageOf, type LockedPackage } from '../project/locked-package.js';
import type { PackageManagerSpec } from './plugin.js';
import { lockSignal } from './signals.js';

/**
 * poetry.lock: the main group only (format 2.1 `groups`, format 1 `category`); files per package (2.x)
 * or in [metadata.files] (1.x).
 */
function fromPoetryLock(data: Record<string, any>): LockedPackage[] {
  const legacy = data.metadata?.files as Record<string, { file: string }[]> | undefined;
  const out: LockedPackage[] = [];
  for (const pkg of (data.package ?? []) as Record<string, any>[]) {
    if (pkg.category === 'dev' || (Array.isArray(pkg.groups) && !pkg.groups.includes('main'))) continue;
    const listed = [...(pkg.files ?? []), ...(legacy?.[pkg.name] ?? legacy?.[normalise(pkg.name)] ?? [])];
    const files = listed.map((f) => String(f.file ?? f.url ?? ''));
    const marker = typeof pkg.markers === 'string' ? pkg.markers : pkg.markers?.main;
    const builds = Boolean(pkg.source?.type && pkg.source.type !== 'legacy');
    out.push(packageOf(pkg, files, builds, marker ? minorsWhere(marker) : undefined));
  }
  return out;
}

export const poetry: PackageManagerSpec = {
  id: 'poetry',
  label: 'Poetry',
  manifest: 'pyproject.toml',
  lock: 'poetry.lock',
  dependencyFiles: ['pyproject.toml', 'poetry.lock'],
  lockCommand: 'poetry lock',
  addCommand: 'poetry add',
  runPrefix: [['poetry', 'run']],
  versionArg: 'POETRY_VERSION',
  cacheDir: '/root/.cache/pypoetry',
  declares: 'pyproject.toml',
  installLabel: 'dependencies locked by Poetry',
  signal: (files, pyproject) => {
    if (files.has('poetry.lock')) return lockSignal(files, 'poetry.lock', 'pyproject.toml');
    if (pyproject?.tool?.poetry) return { source: 'pyproject.toml [tool.poetry]' };
    if (String(pyproject?.['build-system']?.['build-backend'] ?? '').startsWith('poetry.core'))
      return { source: 'pyproject.toml build-backend' };
    return undefined;
  },
  // package-mode = false: only the dependencies, no root package.
  installsProject: (pyproject) => pyproject?.tool?.poetry?.['package-mode'] !== false,
  declared: (tree) =>
    Object.entries(tree.toml('pyproject.toml')?.tool?.poetry?.dependencies ?? {})
      .filter(([name]) => name !== 'python')
      .map(([name, spec]) => ({
        name,
        source: 'pyproject.toml',
        extras: (spec as { extras?: string[] })?.extras ?? [],
      })),
  python: (tree) => {
    const range = tree.toml('pyproject.toml')?.tool?.poetry?.dependencies?.python;
    return typeof range === 'string' ? [{ source: 'pyproject.toml (tool.poetry)', raw: range, range: true }] : [];
  },
  lockedPackages: fromPoetryLock,
  // Its primary source (a source with no priority is primary; `default = true` before Poetry 1.5).
  indexUrls: ({ tree }) => {
    const sources = (tree.toml('pyproject.toml')?.tool?.poetry?.source ?? []) as Record<string, any>[];
    const primary = sources.find(
      (s) => s.default === true || s.priority === undefined || s.priority === 'primary' || s.priority === 'default',
    );
    return [[primary?.url, 'Poetry source']];
  },
  // `packages = [{ include = "app", from = "src" }]`: src holds packages (a glob names none).
  sourceFolders: (pyproject) => {
    const found: string[] = [];
    const packages = pyproject?.tool?.poetry?.packages;
    for (const pkg of Array.isArray(packages) ? packages : []) {
      const include = folder(pkg?.include);
      if (!include || /[*?[]/.test(include)) continue;
      const from = pkg.from === undefined ? '' : folder(pkg.from);
      if (from !== undefined) found.push([from, parent(include)].filter(Boolean).join('/'));
    }
    return found;
  },
};
