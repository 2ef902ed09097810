/**
 * `yo python-docker`: a thin Yeoman front-end over the core in lib/.
 * Options and prompts come from the answers model; the plan comes from
 * prepareRun, and its files are written through Yeoman's in-memory file system.
 */
import { existsSync } from 'node:fs';
import Generator, { type BaseOptions } from 'yeoman-generator';
import type { Question } from '../../lib/answers.js';
import { FLAGS, closingReport, prepareRun, stepPrinter, verifyAfterWriting, type PreparedRun } from '../../lib/front-end.js';
import { filesToWrite, type Resolution } from '../../lib/generate.js';
import { UserError } from '../../lib/user-error.js';

/** Adapters without a stream of their own (yeoman-test's) answer prompts themselves. */
function canPrompt(adapter: unknown): boolean {
  const a = adapter as { actualAdapter?: { stdin?: NodeJS.ReadStream }; stdin?: NodeJS.ReadStream };
  const stdin = a.actualAdapter?.stdin ?? a.stdin;
  return stdin ? Boolean(stdin.isTTY) : true;
}

type Options = BaseOptions & Record<string, unknown>;

// Methods not starting with `_` run as Yeoman tasks: helpers are `_`-prefixed.
export default class PythonDockerGenerator extends Generator<Record<string, unknown>, Options> {
  private prepared?: PreparedRun;

  constructor(args: string[], options: Options) {
    // customInstallTask: there is no package.json to install; skip Yeoman's npm step and its message.
    super(args, options, { customInstallTask: true });
    for (const flag of FLAGS) {
      // Yeoman refuses option names starting with "no-": it reads `--no-buildkit` as `buildkit: false`.
      const negated = flag.name.startsWith('no-');
      this.option(negated ? flag.name.slice(3) : flag.name, {
        type: flag.type === 'boolean' ? Boolean : String,
        alias: flag.alias,
        description: negated ? `(as --${flag.name}) ${flag.description}` : flag.description,
        ...(negated ? { default: true } : {}),
      });
    }
  }

  private async _ask(question: Question): Promise<string> {
    const { name, message } = question;
    const [prompt] =
      question.kind === 'confirm'
        ? [{ type: 'confirm' as const, name, message, default: question.default === 'true' }]
        : [{ type: question.kind, name, message, default: question.default, choices: question.choices, validate: question.validate }];
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
    // Refusals happen here, before anything reaches the file system. They are the
    // user's to fix: one line and a non-zero exit, not yo's "error occured" report.
    try {
      this.prepared = await prepareRun({
        dir: this.destinationRoot(),
        say: (text) => this.log.writeln(text),
        options: this.options,
        canPrompt: canPrompt(this.env.adapter),
        ask: (q) => this._ask(q),
        askResolution: (t) => this._askResolution(t),
      });
      // A subfolder chosen in a monorepo: its files are written there.
      if (this.prepared.dir !== this.destinationRoot()) this.destinationRoot(this.prepared.dir);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.log.writeln(`python-docker: ${error.message}`);
      process.exitCode = error.code;
    }
  }

  writing(): void {
    if (!this.prepared || this.prepared.dryRun) return;
    for (const write of filesToWrite(this.prepared.generation)) {
      const path = this.destinationPath(write.path);
      const exists = existsSync(path);
      this.fs.write(path, write.content);
      // The core already decided each file; Yeoman's conflicter must not ask again (nor abort without a terminal).
      if (exists) (this.fs.store.get(path) as { conflicter?: string }).conflicter = 'force';
    }
  }

  async end(): Promise<void> {
    if (!this.prepared) return;
    const closing = await closingReport(this.prepared, this.destinationRoot());
    this.log.writeln(closing.out.join('\n'));
    for (const line of closing.err) this.log.writeln(line);
    const verified = await verifyAfterWriting(this.prepared, this.destinationRoot(), {
      say: (line) => this.log.writeln(line),
      onStep: stepPrinter((text) => this.log.write(text), false),
      confirm: async (message) =>
        (await this.prompt<{ verify: boolean }>([{ type: 'confirm', name: 'verify', message, default: false }])).verify,
    });
    const exitCode = Math.max(closing.exitCode, verified);
    if (exitCode) process.exitCode = exitCode;
  }
}
