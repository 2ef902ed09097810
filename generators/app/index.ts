/**
 * `yo python-docker`: a thin Yeoman front-end over the core in lib/.
 * Options, help and prompts come from the answers model; the plan comes from
 * prepareRun, and its files are written by the core's writer (lib/safe-files.ts).
 */
import Generator, { type BaseOptions } from 'yeoman-generator';
import type { Question } from '../../lib/answers.js';
import { finishOnBrokenPipe } from '../../lib/broken-pipe.js';
import { memoryStorage } from '../../lib/memory-storage.js';
import { helpText, helpWidth, parseCommandLine } from '../../lib/options.js';
import type { Resolution } from '../../lib/regenerate.js';
import { finishRun, prepareRun, writePlannedFiles, type PreparedRun } from '../../lib/run.js';
import { UserError } from '../../lib/user-error.js';
import { generatorVersion } from '../../lib/versions.js';

interface Streams {
  actualAdapter?: { stdin?: NodeJS.ReadStream; stdout?: NodeJS.WriteStream };
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** Adapters without a stream of their own (yeoman-test's) answer prompts themselves; else stdin must be a terminal. */
function canPrompt(adapter: unknown): boolean {
  const a = adapter as Streams;
  const stdin = a.actualAdapter?.stdin ?? a.stdin;
  return stdin ? Boolean(stdin.isTTY) : true;
}

/**
 * Options yo itself reads, and Yeoman's standard ones (there is no npm install to skip
 * or force): they are not the generator's to refuse.
 */
const YO_OWN = new Set([
  '--debug',
  '--local-only',
  '--insight',
  '--no-insight',
  '--skip-install',
  '--skip-cache',
  '--force-install',
]);

/**
 * The command line as typed, when yo runs us: yo's own parser keeps unknown
 * options and turns values into numbers, so both front-ends parse the same words the same way.
 */
function yoCommandLine(): string[] | undefined {
  if (!/(^|[\\/])yo([\\/]lib[\\/]cli\.js)?$/.test(process.argv[1] ?? '')) return undefined;
  const argv = process.argv.slice(2).filter((a) => !YO_OWN.has(a));
  const name = argv.findIndex((a) => !a.startsWith('-'));
  return name === -1 ? undefined : [...argv.slice(0, name), ...argv.slice(name + 1)];
}

const isPromptExit = (error: unknown) => ['ExitPromptError', 'AbortPromptError'].includes((error as Error)?.name);

type Options = BaseOptions & Record<string, unknown>;

// Only methods named after Yeoman's run-loop priorities (prompting, writing, end) run as tasks.
export default class PythonDockerGenerator extends Generator<Record<string, unknown>, Options> {
  private prepared?: PreparedRun;
  /** Our options: parsed from the command line under yo, else as given (yeoman-test, composeWith). */
  private given: Record<string, unknown> = {};
  private refused?: UserError;
  private stopped = false;

  constructor(args: string[], options: Options) {
    // customInstallTask: there is no package.json to install; skip Yeoman's npm step and its message.
    // customCommitTask: files are written by the core's writer, so Yeoman's in-memory file system has
    // nothing to commit (and its commit streams end in AbortErrors on Node 24).
    super(args, options, { customInstallTask: true, customCommitTask: true, tasksMatchingPriority: true });
    const fromYo = yoCommandLine();
    const commandLine = fromYo ?? (args.length ? args.filter((a) => !YO_OWN.has(a)) : undefined);
    const given = fromYo ? {} : { ...this.options };
    try {
      this.given = commandLine ? { ...given, ...parseCommandLine(commandLine, 'yo python-docker') } : given;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.refused = error; // reported by the first task, as one line
    }
    // yo (or yeoman-environment on this process's streams): `| head -1` ends no run part-way.
    const a = this.env?.adapter as unknown as Streams | undefined;
    if (fromYo || (a?.actualAdapter?.stdout ?? a?.stdout) === process.stdout) finishOnBrokenPipe();
  }

  // .yo-rc.json is the core's alone (lib/memory-storage.ts).
  override _getStorage(): Generator['config'] {
    return memoryStorage() as Generator['config'];
  }

  override help(): string {
    return helpText('yo python-docker', helpWidth(process.stdout.columns));
  }

  /** The product's report goes to stdout (Yeoman logs to stderr); yeoman-test's adapter has no stream: its log. */
  private _out(text: string): void {
    const a = this.env.adapter as unknown as Streams;
    const stdout = a.actualAdapter?.stdout ?? a.stdout;
    if (stdout) stdout.write(`${text}\n`);
    else this.log.writeln(text);
  }

  /**
   * A user's mistake: one line and a non-zero exit, not yo's "error occured" report.
   * A Ctrl-C at a prompt: exit 130.
   */
  private _stop(error: unknown): void {
    this.stopped = true;
    if (error instanceof UserError) {
      this.log.writeln(`python-docker: ${error.message}`);
      process.exitCode = error.code;
    } else if (isPromptExit(error)) {
      // The adapter has aborted the run already, and yo would report that as an error and exit 1:
      // on a real terminal the run ends here, as the standalone command's does
      // (nothing is written before the questions end).
      if ((this.env.adapter as unknown as Streams).actualAdapter?.stdin === process.stdin) process.exit(130);
      process.exitCode = 130;
    } else {
      throw error;
    }
  }

  private async _ask(question: Question): Promise<string> {
    const { name, message } = question;
    const [prompt] =
      question.kind === 'confirm'
        ? [{ type: 'confirm' as const, name, message, default: question.default === 'true' }]
        : [
            {
              type: question.kind,
              name,
              message,
              default: question.default,
              choices: question.choices,
              validate: question.validate,
            },
          ];
    const answers = await this.prompt<Record<string, string | boolean>>([prompt as never]);
    return String(answers[name] ?? '');
  }

  private async _askResolution(target: string): Promise<Resolution> {
    const { resolution } = await this.prompt<{ resolution: Resolution }>([
      {
        type: 'select',
        name: 'resolution',
        message: `${target} exists and was not written by this generator`,
        choices: [
          { name: `Keep mine, write the new one as ${target}.new`, value: 'new' },
          { name: 'Overwrite it', value: 'overwrite' },
        ],
        default: 'new',
      },
    ]);
    return resolution;
  }

  async prompting(): Promise<void> {
    if (this.refused) return this._stop(this.refused);
    if (this.given.version) {
      this._out(generatorVersion);
      this.stopped = true;
      return;
    }
    // Refusals happen here, before anything reaches the file system.
    try {
      this.prepared = await prepareRun({
        dir: this.destinationRoot(),
        say: (text) => this._out(text),
        options: this.given,
        canPrompt: canPrompt(this.env.adapter),
        ask: (q) => this._ask(q),
        askResolution: (t) => this._askResolution(t),
      });
      // A subfolder chosen in a monorepo: its files are written there.
      if (this.prepared.dir !== this.destinationRoot()) this.destinationRoot(this.prepared.dir);
    } catch (error) {
      this._stop(error);
    }
  }

  writing(): void {
    if (this.stopped || !this.prepared) return;
    // The core's writer, not Yeoman's in-memory file system: every file or none, .yo-rc.json last,
    // never through a symlink, and no conflicter asking again about what the core decided.
    try {
      writePlannedFiles(this.prepared, this.destinationRoot());
    } catch (error) {
      this._stop(error);
    }
  }

  async end(): Promise<void> {
    if (this.stopped || !this.prepared) return;
    try {
      const exitCode = await finishRun(this.prepared, this.destinationRoot(), {
        out: (line) => this._out(line),
        err: (line) => this.log.writeln(line),
        write: (text) => this.log.write(text),
        terminal: false,
        confirm: async (message) =>
          (await this.prompt<{ verify: boolean }>([{ type: 'confirm', name: 'verify', message, default: false }]))
            .verify,
      });
      if (exitCode) process.exitCode = exitCode;
    } catch (error) {
      this._stop(error);
    }
  }
}
