/** How a manager's files point to it, shared by the managers. */
import type { ProjectFiles } from '../project/project-tree.js';
import type { Pyproject, Signal } from './plugin.js';

export const hasBuildSystem = (pyproject: Pyproject) => pyproject?.['build-system'] !== undefined;

/** A lock file points to its manager only beside the manifest it locks; a stray one is named, not followed. */
export function lockSignal(files: ProjectFiles, lock: string, manifest: string): Signal {
  if (!files.has(lock)) return undefined;
  if (files.has(manifest)) return { source: lock };
  return { warning: `${lock} is here without ${manifest}, which it locks: not used to choose the package manager` };
}
