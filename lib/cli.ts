/**
 * The standalone `python-docker` command. It never loads Yeoman (that alone
 * costs over a second): it parses options, prompts with @inquirer/prompts
 * when stdin is a terminal, and calls the same core as the generator.
 */
import { isatty } from 'node:tty';
import type { Question } from './answers.js';
import { finishOnBrokenPipe } from './broken-pipe.js';
import { helpText, helpWidth, parseCommandLine } from './options.js';
import type { Resolution } from './regenerate.js';
import { finishRun, prepareRun, writePlannedFiles } from './run.js';
import { UserError } from './user-error.js';
import { generatorVersion } from './versions.js';

export interface Io {
  cwd: string;
  stdout: (line: string) => void;
  /** Raw output, for the build-step line a terminal rewrites in place. */
  write: (text: string) => void;
  stderr: (line: string) => void;
  /** stdin is a terminal: someone can answer (stdout may be piped, as in `| tee log`). */
  interactive: boolean;
  /** stdout is a terminal: build steps rewrite one line. */
  terminal?: boolean;
  /** The terminal's width, when stdout is one (help wraps to it). */
  columns?: number;
}

async function ask(question: Question): Promise<string> {
  const { confirm, input, select } = await import('@inquirer/prompts');
  if (question.kind === 'confirm')
    return String(await confirm({ message: question.message, default: question.default === 'true' }));
  if (question.kind === 'select') {
    return select({ message: question.message, choices: question.choices!, default: question.default });
  }
  return input({ message: question.message, default: question.default || undefined, validate: question.validate });
}

async function askResolution(target: string): Promise<Resolution> {
  const { select } = await import('@inquirer/prompts');
  return select<Resolution>({
    message: `${target} exists and was not written by this generator`,
    choices: [
      { name: `Keep mine, write the new one as ${target}.new`, value: 'new' },
      { name: 'Overwrite it', value: 'overwrite' },
    ],
    default: 'new',
  });
}

export async function run(argv: string[], io: Io): Promise<number> {
  const options = parseCommandLine(argv, 'python-docker');
  if (options.help) {
    io.stdout(helpText('python-docker', helpWidth(io.columns)));
    return 0;
  }
  if (options.version) {
    io.stdout(generatorVersion);
    return 0;
  }
  const prepared = await prepareRun({
    dir: io.cwd,
    say: io.stdout,
    options,
    canPrompt: io.interactive,
    ask,
    askResolution,
  });
  writePlannedFiles(prepared, prepared.dir);
  return finishRun(prepared, prepared.dir, {
    out: io.stdout,
    err: io.stderr,
    write: io.write,
    terminal: Boolean(io.terminal),
    confirm: async (message) => (await import('@inquirer/prompts')).confirm({ message, default: false }),
  });
}

export async function main(): Promise<void> {
  finishOnBrokenPipe();
  const io: Io = {
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    stderr: (line) => process.stderr.write(`${line}\n`),
    // Asked of the descriptor: process.stdin would build a stream (and load fs/promises) only to be asked this.
    interactive: isatty(0),
    terminal: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns,
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`python-docker: ${error.message}`);
      process.exitCode = 1;
    } else if ((error as Error)?.name === 'ExitPromptError') {
      process.exitCode = 130; // Ctrl-C at a prompt: nothing was written
    } else {
      throw error;
    }
  }
}
