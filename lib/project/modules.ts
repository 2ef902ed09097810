/**
 * Where the project's modules live, and whether an entrypoint names something
 * that is there. The one home of the import-root rule: a module is looked up
 * at the project root, in the source folders pyproject.toml declares, under
 * src/, and in the folder holding manage.py.
 */
import type { Answers } from '../answers.js';
import type { ProjectTree } from './project-tree.js';
import { frameworkPlugin } from '../frameworks/index.js';
import { normaliseName } from './requirements.js';
import { folder, parent } from './folders.js';
import { packageManagerSpecs } from '../package-managers/index.js';

/**
 * Source folders the build backend is told about in pyproject.toml: setuptools' `package-dir` and
 * `packages.find.where`, Hatch's wheel `packages` and `sources`, the package managers' own tables (their
 * plugins' sourceFolders), maturin's `python-source`. Only folders that exist; the root itself is not one.
 */
export function declaredSourceRoots(tree: ProjectTree): string[] {
  const tool = tree.toml('pyproject.toml')?.tool;
  if (!tool || typeof tool !== 'object') return [];
  const found: (string | undefined)[] = [];
  const setuptools = tool.setuptools ?? {};
  for (const [pkg, dir] of Object.entries(setuptools['package-dir'] ?? {})) {
    const path = folder(dir);
    // `"" = "src/py"` roots every package there; `app = "src/py/app"` roots one, when the folder bears its name.
    if (pkg === '') found.push(path);
    else if (path && path.split('/').at(-1) === pkg) found.push(parent(path));
  }
  const where = setuptools.packages?.find?.where;
  for (const dir of Array.isArray(where) ? where : [where]) found.push(folder(dir));
  for (const hatch of [tool.hatch?.build, tool.hatch?.build?.targets?.wheel]) {
    for (const pkg of Array.isArray(hatch?.packages) ? hatch.packages : [])
      found.push(folder(pkg) && parent(folder(pkg)!));
    const sources = hatch?.sources;
    if (Array.isArray(sources)) for (const dir of sources) found.push(folder(dir));
    else if (sources && typeof sources === 'object') {
      for (const [from, to] of Object.entries(sources)) if (to === '') found.push(folder(from));
    }
  }
  const pyproject = tree.toml('pyproject.toml');
  for (const spec of packageManagerSpecs()) found.push(...(spec.sourceFolders?.(pyproject) ?? []));
  found.push(folder(tool.maturin?.['python-source']));
  const roots: string[] = [];
  for (const root of found) if (root && tree.hasDir(root) && !roots.includes(root)) roots.push(root);
  return roots;
}

/** Folders that hold packages rather than being one: the declared ones, then src/. */
export function sourceFolders(tree: ProjectTree): string[] {
  const roots = declaredSourceRoots(tree);
  return roots.includes('src') ? roots : [...roots, 'src'];
}

/** Folders an import can start from, in the order they are tried. */
export function importRoots(tree: ProjectTree): string[] {
  const roots = ['', ...sourceFolders(tree)];
  for (const file of tree.files) {
    const m = /^([^/.][^/]*)\/manage\.py$/.exec(file);
    if (m && !roots.includes(m[1])) roots.push(m[1]);
  }
  return roots;
}

/** `src/py/app/main.py` → `app.main` when src/py is an import root; `app/__init__.py` → `app`. */
export function moduleOf(file: string, roots: readonly string[]): string {
  const root = roots.filter((r) => r && file.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
  const path = (root ? file.slice(root.length + 1) : file).replace(/\.py$/, '').replace(/\/__init__$/, '');
  return path.split('/').join('.');
}

export interface ModuleLocation {
  /** The import root it was found under ('' for the project root). */
  root: string;
  /** The file defining it; undefined for a namespace package (a folder with no __init__.py). */
  file?: string;
}

/** Where `pkg.mod` is defined in the project, or undefined when it is not there. */
export function findModule(tree: ProjectTree, module: string): ModuleLocation | undefined {
  const rel = module.replace(/\./g, '/');
  for (const root of importRoots(tree)) {
    const base = root ? `${root}/${rel}` : rel;
    if (tree.has(`${base}.py`)) return { root, file: `${base}.py` };
    if (tree.has(`${base}/__init__.py`)) return { root, file: `${base}/__init__.py` };
    if (tree.hasDir(base)) return { root };
  }
  return undefined;
}

/** An entrypoint naming a file of the project: a script (`app.py`) or a PasteDeploy file (`production.ini`). */
export const isFileEntrypoint = (entrypoint: string) => /\.(?:py|ini)$/.test(entrypoint);

/** What an entrypoint loads: a file, or a module and (optionally) an attribute in it. */
export function entrypointTarget(
  entrypoint: string,
  framework: Answers['framework'],
): { file: string } | { module: string; attr?: string } {
  if (isFileEntrypoint(entrypoint)) return { file: entrypoint };
  const [module, attr] = entrypoint.split(':');
  const name = attr?.replace(/\(.*\)$/, '');
  // What a bare module means is the framework's (a project package whose wsgi module the server loads).
  const loads = frameworkPlugin(framework).loads;
  if (loads && !attr) return loads(module);
  return { module, attr: name };
}

/** The file an entrypoint points at, for reading its port. */
export function entrypointFile(
  tree: ProjectTree,
  entrypoint: string,
  framework: Answers['framework'],
): string | undefined {
  const target = entrypointTarget(entrypoint, framework);
  return 'file' in target ? (tree.has(target.file) ? target.file : undefined) : findModule(tree, target.module)?.file;
}

/**
 * The folder the entrypoint's top module lives in, when it is not the project root:
 * `src` for a src layout, `backend` for a project whose manage.py is there.
 */
export function sourceRoot(tree: ProjectTree, answers: Pick<Answers, 'entrypoint'>): string | undefined {
  if (isFileEntrypoint(answers.entrypoint)) return undefined; // a file path, relative to the root
  return findModule(tree, answers.entrypoint.split(/[.:]/)[0])?.root || undefined;
}

/**
 * Why the entrypoint cannot load, or undefined when it can (or might: a module that a
 * declared dependency provides, or a name that a star import may bring).
 */
export function missingEntrypoint(
  tree: ProjectTree,
  answers: Pick<Answers, 'entrypoint' | 'framework'>,
  declared: ReadonlyMap<string, unknown>,
): string | undefined {
  const target = entrypointTarget(answers.entrypoint, answers.framework);
  if ('file' in target) return tree.has(target.file) ? undefined : `${target.file} does not exist`;
  const top = target.module.split('.')[0];
  const found = findModule(tree, target.module);
  if (!found) {
    // Installed from a dependency.
    if (findModule(tree, top) === undefined && declared.has(normaliseName(top))) return undefined;
    const rel = target.module.replace(/\./g, '/');
    return `module ${target.module} is not in the project (no ${rel}.py or ${rel}/__init__.py)`;
  }
  if (!target.attr || !found.file) return undefined;
  const text = tree.read(found.file);
  if (text === undefined || /\bimport\s+\*/.test(text)) return undefined;
  if (!new RegExp(`\\b${target.attr}\\b`).test(text)) return `${found.file} has no ${target.attr}`;
  return undefined;
}
