/** uvicorn, the ASGI server several frameworks run behind. */
import { isFactory } from './entrypoints.js';
import type { ServerOptions } from '../project/server-options.js';

/** uvicorn's CMD: `--factory` for an app factory (uvicorn calls it); the Procfile's carried options last. */
export function uvicorn(app: string, port: number | undefined, server?: ServerOptions): string[] {
  return [
    ...(isFactory(app) ? ['uvicorn', '--factory', app.slice(0, -2)] : ['uvicorn', app]),
    '--host',
    '0.0.0.0',
    '--port',
    String(port),
    ...(server?.args ?? []),
  ];
}
