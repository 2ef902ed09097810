/**
 * Everything about one framework: one object per file in lib/frameworks/, listed in the registry (index.ts).
 * Nothing outside lib/frameworks/ names a framework; the rest of the code asks the plugin.
 */
import type { Answers } from '../answers.js';
import type { ProjectTree } from '../project/project-tree.js';
import type { CommandLineTool } from '../project/run-commands.js';
import type { ServerOptions } from '../project/server-options.js';
import type { ReleaseSteps } from '../release-steps.js';

/** An entrypoint found in the project, and where ("FastAPI(…) assigned to app in main.py"). */
export interface FoundEntrypoint {
  entrypoint: string;
  source: string;
}

/** A health endpoint the code declares, and where. */
export interface FoundHealthPath {
  value: string;
  source: string;
}

/**
 * How one project serves the app when it is not the plugin's default (Django over ASGI): replaces
 * `command`, `cmdServer` and the server among `stubPackages` for that project.
 */
export interface Serving {
  /** Named in README.Docker.md and the run's summary: `ASGI via uvicorn`. */
  label: string;
  /** Why (`ASGI_APPLICATION in mysite/settings.py`). */
  source: string;
  /** The server the CMD runs: a Procfile web line's options for it are carried over. */
  server: string;
  /** Keys of templates/versions.json "requirements" the image needs (the stub's, the ones added when missing). */
  packages: string[];
  command(entrypoint: string, port: number | undefined, server?: ServerOptions): string[];
}

export interface FrameworkPlugin {
  /** The --framework value and the stored answer. */
  id: string;
  label: string;
  /** Distributions (PEP 503 names) whose declaration signals it; the registry order breaks ties. */
  packages: string[];
  /**
   * Tried before the others when several frameworks are declared (Django: a project with manage.py that
   * also lists FastAPI for one API is still a Django project); among these, registry order.
   */
  triedFirst?: boolean;
  /**
   * Declaring it is not enough (a client library too, as aiohttp is): detected only when findEntrypoint
   * finds its app; otherwise the project is what the rest of its dependencies make it.
   */
  needsApp?: boolean;
  /** Serves HTTP: gets EXPOSE, a port and a HEALTHCHECK. */
  web: boolean;
  defaultPort?: number;
  defaultEntrypoint: string;
  /** The entrypoint's shape in --help's one line: `module:app`, `project package`, `file.py`. */
  entrypointShape: string;
  /** Shown after "expected" when an entrypoint is refused, and in --help. */
  entrypointHelp: string;
  /** Keys of templates/versions.json "requirements": what the stub lists. */
  stubPackages: string[];
  /** The HEALTHCHECK's path when the code declares none (default /). */
  healthPath?: string;
  /** Returns the normalised entrypoint, or undefined when it is not acceptable. */
  parseEntrypoint(raw: string): string | undefined;
  /** The CMD; `server` carries a Procfile web line's options (and gunicorn binding $PORT itself). */
  command(entrypoint: string, port: number | undefined, server?: ServerOptions): string[];
  /** Its app or script in the project, by reading files (never running them). */
  findEntrypoint(tree: ProjectTree): FoundEntrypoint | undefined;
  /** Servers whose command lines (Procfile, compose, Dockerfile CMD, .flaskenv) name its app. */
  servers: string[];
  /** Its own tools that serve the app (`flask run`, `python manage.py runserver`), as run commands name them. */
  cli?: CommandLineTool[];
  /**
   * A command line's target (`blog:app`, `config.wsgi`) as this framework's entrypoint, before parseEntrypoint;
   * undefined when it is not this framework's. Default: as written.
   */
  targetEntrypoint?(tree: ProjectTree, target: string, server: string): string | undefined;
  /** The server the CMD runs whose Procfile options may be carried over (gunicorn, uvicorn). */
  cmdServer?: string;
  /** A health endpoint the code declares (the entrypoint as detected, when there is one). */
  findHealthPath?(tree: ProjectTree, entrypoint: string | undefined): FoundHealthPath | undefined;
  /** The port its own configuration states (after a run command's and the code's). */
  configuredPort?(tree: ProjectTree): { port: number; source: string } | undefined;
  /** What a module entrypoint without `:attr` loads (Django: `mysite` → mysite.wsgi:application). */
  loads?(module: string): { module: string; attr?: string };
  /** Release steps besides a Procfile's release: line (Django: migrate, collectstatic, settings warnings). */
  releaseSteps?(tree: ProjectTree, answers: Answers, sourceRoot: string | undefined): ReleaseSteps;
  /** Optional: how this project serves the entrypoint, when not by the defaults above (reads files). */
  serving?(tree: ProjectTree, entrypoint: string): Serving | undefined;
  /**
   * Environment variables the runtime stage sets for the app, as literal ENV lines (Dockerfile.ejs renders
   * them): for apps that take their address from the environment rather than a command line (Gradio).
   */
  environment?(port: number | undefined): Record<string, string>;
  /** What an error status on the health path most likely means in this framework (`: …`), for --verify. */
  statusAdvice?(status: number): string | undefined;
  /**
   * Why an entrypoint that is there still cannot load in the image, in its own terms (Pyramid: an ini's
   * `use = egg:name` needs the project installed); checked after the file or module is found.
   */
  unloadable?(tree: ProjectTree, entrypoint: string, declared: ReadonlyMap<string, unknown>): string | undefined;
}
