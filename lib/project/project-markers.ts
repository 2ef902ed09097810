/** The files that make a folder a Python project, for detection (subprojects) and the run-folder check alike. */
import { packageManagerSpecs, REQUIREMENTS_CANDIDATES } from '../package-managers/index.js';

/** Requirements files, every manager's manifest, packaging files, and a manage.py. */
export function projectMarkers(): string[] {
  const manifests = packageManagerSpecs().flatMap((spec) => spec.manifest ?? []);
  return [
    ...new Set([...REQUIREMENTS_CANDIDATES, 'pyproject.toml', ...manifests, 'setup.py', 'setup.cfg', 'manage.py']),
  ];
}
