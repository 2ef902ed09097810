/**
 * The standalone `python-docker` command. It never loads Yeoman (that alone
 * costs over a second): it parses options, prompts with @inquirer/prompts
 * when there is a terminal, and calls the same core as the generator.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Question } from './answers.js';
import { FLAGS, closingReport, prepareRun, stepPrinter, verifyAfterWriting } from './front-end.js';
import { filesToWrite, type Resolution } from './generate.js';
import { UserError } from './user-error.js';
import { generatorVersion } from './versions.js';

const USAGE = `Usage: python-docker [options]

Writes a Dockerfile, .dockerignore and (when the project has no dependency
file) a requirements.txt stub for the Python project in the current folder.
Run it again after upgrading: your edits to those files are merged, not lost.

Options:
${FLAGS.map((f) => {
  const name = `${f.alias ? `-${f.alias}, ` : '    '}--${f.name}${f.type === 'string' ? ' VALUE' : ''}`;
  return `  ${name.padEnd(28)} ${f.description}`;
})
  .concat(['      --help                   Print this help', '      --version                Print the version'])
  .join('\n')}
`;

export interface Io {
  cwd: string;
  stdout: (line: string) => void;
  /** Raw output, for the build-step line a terminal rewrites in place. */
  write: (text: string) => void;
  stderr: (line: string) => void;
  interactive: boolean;
}

async function ask(question: Question): Promise<string> {
  const { confirm, input, select } = await import('@inquirer/prompts');
  if (question.kind === 'confirm') return String(await confirm({ message: question.message, default: question.default === 'true' }));
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

function parseOptions(argv: string[]): Record<string, unknown> {
  try {
    return parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(FLAGS.map((f) => [f.name, { type: f.type, ...(f.alias ? { short: f.alias } : {}) }])),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    // node's messages name the option already ("Unknown option '--prot'").
    throw new UserError(`${(error as Error).message.split('\n')[0]}; see python-docker --help`);
  }
}

export async function run(argv: string[], io: Io): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (options.version) {
    io.stdout(generatorVersion);
    return 0;
  }
  const prepared = await prepareRun({ dir: io.cwd, say: io.stdout, options, canPrompt: io.interactive, ask, askResolution });
  if (!prepared.dryRun) {
    for (const write of filesToWrite(prepared.generation)) {
      const path = join(prepared.dir, write.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, write.content);
    }
  }
  const closing = await closingReport(prepared, prepared.dir);
  io.stdout(closing.out.join('\n'));
  for (const line of closing.err) io.stderr(line);
  const printStep = stepPrinter(io.write, io.interactive);
  const verified = await verifyAfterWriting(prepared, prepared.dir, {
    say: (line) => {
      if (io.interactive) io.write('\r\x1b[K'); // clear the step line
      io.stdout(line);
    },
    onStep: printStep,
    confirm: async (message) => (await import('@inquirer/prompts')).confirm({ message, default: false }),
  });
  return Math.max(closing.exitCode, verified);
}

export async function main(): Promise<void> {
  const io: Io = {
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    stderr: (line) => process.stderr.write(`${line}\n`),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
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
