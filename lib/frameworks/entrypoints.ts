/** The shapes an entrypoint may take, shared by the frameworks that accept each. */

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const DOTTED = `${IDENT}(?:\\.${IDENT})*`;
export const APP_RE = new RegExp(`^${DOTTED}:${IDENT}(?:\\(\\))?$`);
export const MODULE_RE = new RegExp(`^${DOTTED}$`);
export const DJANGO_RE = new RegExp(`^${DOTTED}(?::${IDENT})?$`);
export const FUNCTION_RE = new RegExp(`^${DOTTED}:${IDENT}$`);
// A relative path inside the project: no leading '/', no '..' segment, no spaces or quotes.
export const FILE_RE = /^(?!\/)(?!(?:.*\/)?\.\.(?:\/|$))[A-Za-z0-9_][A-Za-z0-9_./-]*\.py$/;

export const match = (re: RegExp) => (raw: string) => (re.test(raw) ? raw : undefined);

// `main.sh` is a valid dotted name, but nobody means module `sh` of package `main` by it.
const NOT_PYTHON_FILE =
  /\.(?:sh|bash|zsh|js|mjs|ts|rb|pl|php|go|rs|exe|bat|cmd|ps1|txt|md|json|ya?ml|toml|cfg|ini|conf|env|ipynb|pyc)$/i;
export const pythonModule = (raw: string) => (NOT_PYTHON_FILE.test(raw) ? undefined : match(MODULE_RE)(raw));

/** `pkg.mod:create_app()` is an app factory. */
export function isFactory(entrypoint: string): boolean {
  return entrypoint.endsWith('()');
}

// A PasteDeploy configuration file inside the project (production.ini): the same rules as FILE_RE.
export const INI_RE = /^(?!\/)(?!(?:.*\/)?\.\.(?:\/|$))[A-Za-z0-9_][A-Za-z0-9_./-]*\.ini$/;
