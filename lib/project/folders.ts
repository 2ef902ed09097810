/** Folder paths as pyproject.toml tables write them, shared by the build backends' and managers' readers. */

/** A relative folder as a build backend names it (`./src/py/`), or undefined when it leaves the project. */
export function folder(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const path = raw
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/\/+$/, '');
  if (path === '.' || path.startsWith('/') || path.split('/').includes('..')) return undefined;
  return path;
}

export const parent = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
