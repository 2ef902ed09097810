/** gunicorn, the WSGI server several frameworks run behind. */
import type { ServerOptions } from '../project/server-options.js';

/** gunicorn's CMD: --bind, unless it binds 0.0.0.0:$PORT itself (ENV PORT); the Procfile's options before the app. */
export function gunicorn(app: string, port: number | undefined, server?: ServerOptions): string[] {
  const bind = server?.portFromEnv ? [] : ['--bind', `0.0.0.0:${port}`];
  return ['gunicorn', ...bind, '--access-logfile', '-', ...(server?.args ?? []), app];
}
