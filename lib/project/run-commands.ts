/**
 * How the project already says it runs: a Procfile's `web:` line, a framework tool's app variable
 * in its dotenv file, an existing Dockerfile's CMD, a compose file's `command:`. These
 * are stronger evidence of the app object and port than reading the code.
 * Every scan here is one pass over the text (a hostile file cannot make it slow).
 * Servers' own options are here; a framework's own tool (its `run` subcommand) comes from its plugin.
 */
import { commandLineTools } from '../frameworks/index.js';
import { packageManagerSpecs } from '../package-managers/index.js';
import { composeCommands } from './compose-files.js';
import { MAX_COMMAND, shellWords } from './shell-words.js';
import type { ProjectTree } from './project-tree.js';

/** A framework's own command-line tool that serves the app (declared by its plugin). */
export interface CommandLineTool {
  /** The command word, or a script python runs (a name ending in .py). */
  name: string;
  /**
   * The subcommand that serves (`run`); a call of another subcommand is not a run command.
   * None: the tool serves its app itself (`sanic server:app`).
   */
  subcommand?: string;
  /** Options that take a value as the next word. */
  valueOptions: string[];
  /** Options that name the app: with these, no positional word is the app. */
  appOptions?: string[];
  /** The first positional word is `[address:]port`. */
  portArgument?: boolean;
  /** A dotenv file's variable naming the app when no option does. */
  appVariable?: { file: string; name: string };
  /** What RunCommand.server says (default: name). */
  server?: string;
}

export interface RunCommand {
  /** Where it was found, for "entrypoint blog:app (Procfile web: gunicorn blog:app)". */
  source: string;
  /** The server that runs it (gunicorn, uvicorn, a framework's own tool, python…), or '' when only an app is named. */
  server: string;
  /** What it loads, as written (`blog:app`, `'app:create_app()'`, `dashboard.py`, `config.wsgi`). */
  target?: string;
  port?: number;
  /** The server's options as written (`--workers`, `4`), in order: what a generated CMD may carry over. */
  options?: { name: string; value?: string }[];
}

export { shellWords } from './shell-words.js';

/** Options of each server that take a value as the next word (so that value is not the app). */
const VALUE_OPTIONS: Record<string, Set<string>> = {
  gunicorn: new Set([
    '-b',
    '--bind',
    '-w',
    '--workers',
    '-k',
    '--worker-class',
    '-c',
    '--config',
    '-t',
    '--timeout',
    '--threads',
    '--chdir',
    '--pythonpath',
    '-e',
    '--env',
    '--log-level',
    '--access-logfile',
    '--error-logfile',
    '--log-file',
    '--max-requests',
    '--max-requests-jitter',
    '--graceful-timeout',
    '--keep-alive',
    '-n',
    '--name',
    '--forwarded-allow-ips',
    '-u',
    '--user',
    '-g',
    '--group',
    '--worker-connections',
    '--access-logformat',
    '--log-config',
    '--certfile',
    '--keyfile',
    '--limit-request-line',
    '--worker-tmp-dir',
    '-p',
    '--pid',
  ]),
  uvicorn: new Set([
    '--host',
    '--port',
    '--workers',
    '--log-level',
    '--root-path',
    '--app-dir',
    '--env-file',
    '--uds',
    '--fd',
    '--loop',
    '--http',
    '--ws',
    '--lifespan',
    '--interface',
    '--timeout-keep-alive',
    '--limit-concurrency',
    '--limit-max-requests',
    '--backlog',
    '--forwarded-allow-ips',
    '--log-config',
    '--ssl-keyfile',
    '--ssl-certfile',
    '--ssl-ca-certs',
    '--header',
    '--reload-dir',
  ]),
  hypercorn: new Set([
    '-b',
    '--bind',
    '-w',
    '--workers',
    '-k',
    '--worker-class',
    '-c',
    '--config',
    '--log-level',
    '--access-logfile',
    '--error-logfile',
    '--root-path',
    '--keep-alive',
    '--graceful-timeout',
  ]),
  daphne: new Set([
    '-b',
    '--bind',
    '-p',
    '--port',
    '-u',
    '--unix-socket',
    '--fd',
    '-e',
    '--endpoint',
    '-v',
    '--verbosity',
    '-t',
    '--http-timeout',
    '--access-log',
    '--log-fmt',
    '--ping-interval',
    '--ping-timeout',
    '--application-close-timeout',
    '--websocket_timeout',
    '--websocket_connect_timeout',
    '--root-path',
    '--proxy-headers-host',
    '--proxy-headers-port',
    '-s',
    '--server-name',
  ]),
};

const portOf = (text: string | undefined) => {
  const m = text === undefined ? null : /(?:^|:)(\d{1,5})$/.exec(text);
  return m ? Number(m[1]) : undefined;
};

const toolNamed = (name: string | undefined) => commandLineTools().find((t) => t.name === name);

/** The server, the app it loads and its port, from one command's words. */
export function parseCommand(argv: string[], source: string): RunCommand | undefined {
  let words = [...argv];
  // Wrappers: `exec`, env assignments, a package manager's `… run`, `python -m`.
  const runners = [...packageManagerSpecs().flatMap((s) => s.runPrefix ?? []), ['rye', 'run'], ['hatch', 'run']];
  const runner = () => runners.find((prefix) => prefix.every((word, i) => words[i] === word));
  for (;;) {
    if (words[0] === 'exec' || /^[A-Za-z_]\w*=/.test(words[0] ?? '')) words = words.slice(1);
    else if (runner()) words = words.slice(runner()!.length);
    else if (
      /^python[\d.]*$/.test(words[0] ?? '') &&
      words[1] === '-m' &&
      words[2] &&
      (VALUE_OPTIONS[words[2]] || toolNamed(words[2]))
    )
      words = words.slice(2);
    else break;
  }
  if (!words.length) return undefined;
  const names = [...Object.keys(VALUE_OPTIONS), ...commandLineTools().map((t) => t.name)].map((n) =>
    n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  const server = (words[0].split('/').pop() ?? '').replace(new RegExp(`^(${names.join('|')})\\b.*$`), '$1');
  if (/^python[\d.]*$/.test(server)) {
    // `python manage.py runserver 0.0.0.0:8000` (a tool of a framework's), `python app.py`, `python -m pkg`.
    const [first, second] = words.slice(1);
    const script = toolNamed(first?.split('/').pop());
    if (script) return parseTool(script, words.slice(1), source);
    if (first === '-m' && second) return { source, server: 'python', target: second };
    return first ? { source, server: 'python', target: first } : undefined;
  }
  const tool = toolNamed(server);
  if (tool) return parseTool(tool, words, source);
  const values = VALUE_OPTIONS[server];
  return values ? parseServer(server, values, words.slice(1), source) : undefined;
}

/** A framework's own tool: only its serving subcommand; the app from an option, or a positional word. */
function parseTool(tool: CommandLineTool, words: string[], source: string): RunCommand | undefined {
  if (tool.subcommand !== undefined && words[1] !== tool.subcommand) return undefined;
  const server = tool.server ?? tool.name;
  const rest = words.slice(tool.subcommand === undefined ? 1 : 2);
  return parseServer(server, new Set(tool.valueOptions), rest, source, tool);
}

/** Options (with their values) and the app: the first positional word, unless the tool names it by option. */
function parseServer(
  server: string,
  values: Set<string>,
  rest: string[],
  source: string,
  tool?: CommandLineTool,
): RunCommand {
  const result: RunCommand = { source, server, options: [] };
  let factory = false;
  let positional = 0;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    const [option, inline] =
      word.startsWith('-') && word.includes('=')
        ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
        : [word, undefined];
    // uvicorn's --factory, waitress-serve's --call: the app is what calling it returns.
    if (option === '--factory' || option === '--call') factory = true;
    if (option.startsWith('-')) {
      const value = inline ?? (values.has(option) ? rest[++i] : undefined);
      result.options!.push({ name: option, value });
      if (['-b', '--bind', '--port', '--server.port', '-p', '--listen'].includes(option)) result.port ??= portOf(value);
      if (tool?.appOptions?.includes(option)) result.target = value;
      continue;
    }
    if (tool?.portArgument && positional++ === 0) result.port ??= portOf(word);
    else if (result.target === undefined && !tool?.appOptions) result.target = word;
  }
  if (factory && result.target && !result.target.endsWith(')')) result.target += '()';
  return result;
}

/** A Procfile's `web:` and `release:` commands, read once for detection and the scan. */
function parseProcfile(text: string): { web?: string; release?: string } {
  const web = text
    .split('\n')
    .find((line) => line.startsWith('web:'))
    ?.slice(4)
    .trim();
  const release = /^release:\s*(.+)$/m.exec(text)?.[1]?.trim();
  return { web: web || undefined, release: release || undefined };
}

/** The `web:` command of a Procfile, if there is one. */
export function procfileWeb(tree: ProjectTree): string | undefined {
  return tree.parsed('Procfile', parseProcfile)?.web;
}

/** The `release:` command of a Procfile, if there is one. */
export function procfileRelease(tree: ProjectTree): string | undefined {
  return tree.parsed('Procfile', parseProcfile)?.release;
}

/** The last CMD (or ENTRYPOINT + CMD) of a Dockerfile, as words. */
function dockerfileCommand(text: string): string[] | undefined {
  let entrypoint: string[] = [];
  let cmd: string[] | undefined;
  const lines = text.replace(/\\\r?\n/g, ' ').split('\n');
  for (const line of lines) {
    const m = /^[ \t]*(CMD|ENTRYPOINT)[ \t]+(.*)$/i.exec(line);
    if (!m) continue;
    let words: string[];
    const args = m[2].trim();
    if (args.length > MAX_COMMAND) continue;
    try {
      words = args.startsWith('[') ? (JSON.parse(args) as unknown[]).map(String) : shellWords(args);
    } catch {
      words = shellWords(args);
    }
    if (words[0] === '/bin/sh' || words[0] === 'sh')
      words = words[1] === '-c' && words[2] ? shellWords(words[2]) : words;
    if (m[1].toUpperCase() === 'CMD') cmd = words;
    else entrypoint = words;
  }
  const all = [...entrypoint, ...(cmd ?? [])];
  return all.length ? all : undefined;
}

/** The Procfile's web: line as a command (its server and options; the app it names, if any). */
export function procfileCommand(tree: ProjectTree): RunCommand | undefined {
  const web = procfileWeb(tree);
  return web && web.length <= MAX_COMMAND ? parseCommand(shellWords(web), `Procfile web: ${web}`) : undefined;
}

/**
 * Every run command the project states, strongest first: the Procfile's web process, a framework
 * tool's app variable in its dotenv file (FLASK_APP in .flaskenv), a compose service's command, the
 * Dockerfile's CMD. Files the generator wrote itself (`generated`) are not evidence.
 */
export function runCommands(tree: ProjectTree, generated: ReadonlySet<string> = new Set()): RunCommand[] {
  const out: RunCommand[] = [];
  const push = (parsed: RunCommand | undefined) => parsed && out.push(parsed);
  push(procfileCommand(tree));
  const apps = new Map<string, string>();
  for (const tool of commandLineTools()) {
    if (!tool.appVariable) continue;
    const { file, name } = tool.appVariable;
    const app = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=[ \\t]*["']?([^"'\\s#]+)`, 'm').exec(
      tree.read(file) ?? '',
    )?.[1];
    const server = tool.server ?? tool.name;
    if (app) out.push({ source: `${file} ${name}=${app}`, server, target: app });
    if (app) apps.set(server, app);
  }
  for (const { file, words } of composeCommands(tree, generated))
    push(parseCommand(words, `${file} command: ${words.join(' ')}`));
  if (!generated.has('Dockerfile') && tree.has('Dockerfile')) {
    const words = dockerfileCommand(tree.read('Dockerfile') ?? '');
    if (words) push(parseCommand(words, `Dockerfile CMD ${words.join(' ')}`));
  }
  // A tool's run without the app named (`flask run`) takes it from its variable.
  for (const command of out) if (!command.target && apps.has(command.server)) command.target = apps.get(command.server);
  return out;
}
