/** PDM: its signals, files, lock and pinned tool; its builder stage is templates/dockerfile/builder-pdm.ejs. */
import { folder } from '../project/folders.js';
import { minorsWhere, packageOf, type LockedPackage } from '../project/locked-package.js';
import type { PackageManagerSpec } from './plugin.js';
import { lockSignal, hasBuildSystem } from './signals.js';

/**
 * pdm.lock: the default group only; files per package,
 * or (before lock_version 4.3) in [metadata.files] as "name version".
 */
function fromPdmLock(data: Record<string, any>): LockedPackage[] {
  const legacy = data.metadata?.files as Record<string, Record<string, any>[]> | undefined;
  const out: LockedPackage[] = [];
  for (const pkg of (data.package ?? []) as Record<string, any>[]) {
    if (Array.isArray(pkg.groups) && !pkg.groups.includes('default')) continue;
    const listed = [...(pkg.files ?? []), ...(legacy?.[`${pkg.name} ${pkg.version}`] ?? [])];
    const files = listed.map((f: Record<string, any>) => String(f.file ?? f.url ?? ''));
    const builds = Boolean(pkg.path || pkg.git || pkg.url);
    out.push(packageOf(pkg, files, builds, pkg.marker ? minorsWhere(pkg.marker) : undefined));
  }
  return out;
}

export const pdm: PackageManagerSpec = {
  id: 'pdm',
  label: 'PDM',
  manifest: 'pyproject.toml',
  lock: 'pdm.lock',
  dependencyFiles: ['pyproject.toml', 'pdm.lock'],
  lockCommand: 'pdm lock',
  addCommand: 'pdm add',
  runPrefix: [['pdm', 'run']],
  versionArg: 'PDM_VERSION',
  cacheDir: '/root/.cache/pdm',
  declares: 'pyproject.toml',
  installLabel: 'dependencies locked by PDM',
  signal: (files) => lockSignal(files, 'pdm.lock', 'pyproject.toml'),
  installsProject: hasBuildSystem,
  lockedPackages: fromPdmLock,
  sourceFolders: (pyproject) => [
    folder(pyproject?.tool?.pdm?.build?.['package-dir']),
    folder(pyproject?.tool?.pdm?.['package-dir']),
  ],
};
