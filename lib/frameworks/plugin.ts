/** What every framework declares: one object per framework file, collected in index.ts. */
import type { ServerOptions } from '../project/server-options.js';

export interface FrameworkSpec {
  label: string;
  /** Serves HTTP: gets EXPOSE, a port and a HEALTHCHECK. */
  web: boolean;
  defaultPort?: number;
  defaultEntrypoint: string;
  /** Shown after "expected" when an entrypoint is refused, and in --help. */
  entrypointHelp: string;
  /** Keys of templates/versions.json "requirements": what the stub lists. */
  stubPackages: string[];
  healthPath?: string;
  /** Returns the normalised entrypoint, or undefined when it is not acceptable. */
  parseEntrypoint(raw: string): string | undefined;
  /** The CMD; `server` carries a Procfile web line's options (and gunicorn binding $PORT itself). */
  command(entrypoint: string, port: number | undefined, server?: ServerOptions): string[];
}
