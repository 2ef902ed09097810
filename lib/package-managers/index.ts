/**
 * The package-manager registry: one file per manager (what points to it in a project, the files its
 * builder stage reads, the tool it pins, what to call it); its builder stage is its own template,
 * templates/dockerfile/builder-<name>.ejs. Adding a manager: one file here, one line below, one template.
 */

import { pdm } from './pdm.js';
import { pip } from './pip.js';
import { pipenv } from './pipenv.js';
import type { PackageManagerSpec } from './plugin.js';
import { poetry } from './poetry.js';
import { uv } from './uv.js';

export { REQUIREMENTS_CANDIDATES } from '../project/requirements.js';
export type { PackageManagerSpec, Signal } from './plugin.js';

export const PACKAGE_MANAGERS = ['pip', 'uv', 'poetry', 'pipenv', 'pdm'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];
/** The managers that pin a tool of their own (versions.json "tools"). */
export type LockedManager = Exclude<PackageManager, 'pip'>;

/** In detection order: lock files first, pip last. */
export const PACKAGE_MANAGER_SPECS: Record<PackageManager, PackageManagerSpec> = { uv, poetry, pdm, pipenv, pip };

/** The locked managers' specs, for the fields only they have. */
export function lockedSpec(manager: LockedManager): Required<PackageManagerSpec> {
  return PACKAGE_MANAGER_SPECS[manager] as Required<PackageManagerSpec>;
}
