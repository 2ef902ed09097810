/**
 * Where a Django project keeps manage.py and its settings: one reading shared by detection
 * (WSGI_APPLICATION, ASGI_APPLICATION), the choice of ASGI serving and the release steps (STATIC_ROOT, DEBUG).
 */
import type { ProjectTree } from '../project/project-tree.js';

/** manage.py at the root, in the source root, or one folder down (the first by name). */
export function findManagePy(tree: ProjectTree, sourceRoot?: string): string | undefined {
  if (tree.has('manage.py')) return 'manage.py';
  if (sourceRoot && tree.has(`${sourceRoot}/manage.py`)) return `${sourceRoot}/manage.py`;
  return tree.files.filter((f) => /^[^/.][^/]*\/manage\.py$/.test(f)).sort()[0];
}

/** The folder manage.py sits in, with a trailing slash ('' at the root). */
export function manageRoot(managePy: string): string {
  return managePy.includes('/') ? managePy.slice(0, managePy.lastIndexOf('/') + 1) : '';
}

/** The settings module manage.py names, as a path without `.py`. */
function settingsPath(tree: ProjectTree, managePy: string): string | undefined {
  const module = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/.exec(tree.read(managePy) ?? '')?.[1];
  return module && manageRoot(managePy) + module.replace(/\./g, '/');
}

/** The settings files manage.py names: the module, or a settings package and its siblings. */
export function settingsFiles(tree: ProjectTree, managePy: string): string[] {
  const path = settingsPath(tree, managePy);
  if (!path) return [];
  const pyIn = (folder: string) =>
    tree.files
      .filter((f) => f.startsWith(`${folder}/`) && f.endsWith('.py') && !f.slice(folder.length + 1).includes('/'))
      .sort();
  if (tree.has(`${path}.py`)) {
    const parent = path.slice(0, path.lastIndexOf('/'));
    // settings/production.py with `from .base import *`: its siblings are part of it.
    return tree.has(`${parent}/__init__.py`) && parent.endsWith('settings') ? pyIn(parent) : [`${path}.py`];
  }
  return pyIn(path);
}
