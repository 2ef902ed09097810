/**
 * What a Procfile's `web:` line tells the server beyond the app and its port
 * (`--workers 4 --threads 2 --timeout 120`, `--bind 0.0.0.0:$PORT`): carried
 * into the exec-form CMD where it can be, and named where it cannot.
 */
import type { Answers } from '../answers.js';
import { frameworkPlugin } from '../frameworks/index.js';
import { procfileCommand } from './run-commands.js';
import type { ProjectTree } from './project-tree.js';
import { escapeControls } from '../terminal-text.js';

export interface ServerOptions {
  /** Options for the CMD, after the generator's own (`--workers`, `4`). */
  args: string[];
  /** gunicorn binds 0.0.0.0:$PORT itself: the image sets PORT and the CMD gives no --bind. */
  portFromEnv: boolean;
}

const COUNT = /^\d{1,4}$/;
const NAME = /^[A-Za-z_][\w.]*$/;

/** Options carried as they are, with what their value must look like (`true`: a flag without one). */
const CARRIED: Record<string, Record<string, RegExp | true>> = {
  gunicorn: {
    '-w': COUNT,
    '--workers': COUNT,
    '--threads': COUNT,
    '-t': COUNT,
    '--timeout': COUNT,
    '--graceful-timeout': COUNT,
    '--keep-alive': COUNT,
    '--max-requests': COUNT,
    '--max-requests-jitter': COUNT,
    '-k': NAME,
    '--worker-class': NAME,
    '--worker-connections': COUNT,
    '--preload': true,
  },
  hypercorn: {
    '-w': COUNT,
    '--workers': COUNT,
    '--keep-alive': COUNT,
    '--graceful-timeout': COUNT,
  },
  uvicorn: {
    '--workers': COUNT,
    '--timeout-keep-alive': COUNT,
    '--timeout-graceful-shutdown': COUNT,
    '--proxy-headers': true,
  },
  daphne: {
    '-t': COUNT,
    '--http-timeout': COUNT,
    '--application-close-timeout': COUNT,
    '--websocket_timeout': COUNT,
    '--websocket_connect_timeout': COUNT,
    '--ping-interval': COUNT,
    '--ping-timeout': COUNT,
    '--proxy-headers': true,
  },
};
/** Port options of one server only (gunicorn's -p is its pid file). */
const PORT_OPTION: Record<string, string> = { daphne: '-p' };

/** Options the generated CMD sets itself (the app's folder is on PYTHONPATH), or that name what it already runs. */
const OWN = new Set([
  '-b',
  '--bind',
  '--host',
  '--port',
  '--access-logfile',
  '--factory',
  '--chdir',
  '--pythonpath',
  '--app-dir',
  '--paste',
]);
/** Logs to stderr, as gunicorn and uvicorn do anyway. */
const STDERR_LOG = new Set(['--log-file', '--error-logfile']);

const PORT_VARIABLE = /\$\{?PORT\}?$/;

/** The Procfile web line's server options for this image's CMD; warnings name what is not carried over. */
export function serverOptions(files: ProjectTree, answers: Answers, warnings: string[]): ServerOptions | undefined {
  const plugin = frameworkPlugin(answers.framework);
  const server = plugin.serving?.(files, answers.entrypoint)?.server ?? plugin.cmdServer;
  const web = procfileCommand(files);
  if (!server || !web?.options?.length) return undefined;
  const shown = (o: { name: string; value?: string }) =>
    escapeControls(o.value === undefined ? o.name : `${o.name} ${o.value}`).slice(0, 60);
  if (web.server !== server) {
    warnings.push(
      `Procfile web: runs ${web.server}, the image ${server}: ` +
        `its options (${web.options.map(shown).join(', ')}) are not carried over to the CMD`,
    );
    return undefined;
  }
  const result: ServerOptions = { args: [], portFromEnv: false };
  const dropped: string[] = [];
  for (const option of web.options) {
    const rule = CARRIED[server]?.[option.name];
    if (
      option.value !== undefined &&
      PORT_VARIABLE.test(option.value) &&
      ['-b', '--bind', '--port', PORT_OPTION[server]].includes(option.name)
    ) {
      // gunicorn reads PORT itself; uvicorn does not, and the exec-form CMD expands no variable.
      if (server === 'gunicorn') result.portFromEnv = true;
      else dropped.push(`${shown(option)} (the image listens on ${answers.port})`);
    } else if (
      OWN.has(option.name) ||
      option.name === PORT_OPTION[server] ||
      (STDERR_LOG.has(option.name) && option.value === '-')
    ) {
    } else if (
      server === 'gunicorn' &&
      ['-w', '--workers'].includes(option.name) &&
      /^\$\{?WEB_CONCURRENCY\}?$/.test(option.value ?? '')
    ) {
    } else if (rule === true ? option.value === undefined : rule?.test(option.value ?? '')) {
      result.args.push(option.name, ...(option.value === undefined ? [] : [option.value]));
    } else {
      dropped.push(shown(option));
    }
  }
  if (dropped.length) {
    warnings.push(
      `Procfile web: ${dropped.join(', ')} not carried over to the Dockerfile's CMD ` +
        '(it carries worker, thread and timeout settings, and no $VARIABLE: it is exec form); ' +
        'add what the image needs there',
    );
  }
  return result.args.length || result.portFromEnv ? result : undefined;
}
