/**
 * `yo python-docker`: a thin Yeoman front-end over the core in lib/.
 * Options and prompts come from the answers model; files come from
 * planGeneration and are written through Yeoman's in-memory file system.
 */
import { existsSync } from 'node:fs';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { resolveAnswers, type Question, type Resolved } from '../../lib/answers.js';
import { FLAGS, answerOptions, unaskedLines } from '../../lib/front-end.js';
import {
  filesToWrite,
  planGeneration,
  readStoredConfig,
  summaryLines,
  type Generation,
  type Resolution,
} from '../../lib/generate.js';
import { UserError } from '../../lib/user-error.js';

/** Adapters without a stream of their own (yeoman-test's) answer prompts themselves. */
function canPrompt(adapter: unknown): boolean {
  const a = adapter as { actualAdapter?: { stdin?: NodeJS.ReadStream }; stdin?: NodeJS.ReadStream };
  const stdin = a.actualAdapter?.stdin ?? a.stdin;
  return stdin ? Boolean(stdin.isTTY) : true;
}

type Options = BaseOptions & { yes?: boolean };

export default class PythonDockerGenerator extends Generator<Record<string, unknown>, Options> {
  private answered?: Resolved;
  private plan?: Generation;
  private refused = false;

  constructor(args: string[], options: Options) {
    // customInstallTask: there is no package.json to install; skip Yeoman's npm step and its message.
    super(args, options, { customInstallTask: true });
    for (const flag of FLAGS) {
      this.option(flag.name, {
        type: flag.type === 'boolean' ? Boolean : String,
        alias: flag.alias,
        description: flag.description,
      });
    }
  }

  // Methods not starting with `_` would run as Yeoman tasks: helpers are `_`-prefixed.
  private _interactive(): boolean {
    return !this.options.yes && canPrompt(this.env.adapter);
  }

  private async _ask(question: Question): Promise<string> {
    const answers = await this.prompt<Record<string, string>>([
      {
        type: question.kind,
        name: question.name,
        message: question.message,
        default: question.default,
        choices: question.choices,
        validate: question.validate,
      },
    ]);
    return String(answers[question.name] ?? '');
  }

  private async _askResolution(path: string): Promise<Resolution> {
    const { resolution } = await this.prompt<{ resolution: Resolution }>([
      {
        type: 'select',
        name: 'resolution',
        message: `${path} exists and differs from the new render`,
        choices: [
          { name: `Keep mine, write the new one as ${path}.new`, value: 'new' },
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
      await this._resolve();
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.log.writeln(`python-docker: ${error.message}`);
      process.exitCode = error.code;
      this.refused = true;
    }
  }

  private async _resolve(): Promise<void> {
    this.answered = await resolveAnswers({
      options: answerOptions(this.options as Record<string, unknown>),
      stored: readStoredConfig(this.destinationRoot())?.answers,
      ask: this._interactive() ? (q) => this._ask(q) : undefined,
    });
    if (!this._interactive()) {
      const lines = unaskedLines(this.answered);
      if (lines.length) this.log([this.options.yes ? 'Answers:' : 'No terminal, so nothing was asked. Answers:', ...lines].join('\n'));
    }
    this.plan = await planGeneration(
      this.destinationRoot(),
      this.answered.answers,
      this._interactive() ? (p) => this._askResolution(p) : undefined,
    );
  }

  writing(): void {
    if (this.refused) return;
    for (const write of filesToWrite(this.plan!)) {
      const path = this.destinationPath(write.path);
      const exists = existsSync(path);
      this.fs.write(path, write.content);
      // The core already decided each file; Yeoman's conflicter must not ask again (nor abort without a terminal).
      if (exists) (this.fs.store.get(path) as { conflicter?: string }).conflicter = 'force';
    }
  }

  end(): void {
    if (this.refused) return;
    this.log(summaryLines(this.plan!).join('\n'));
    for (const warning of [...this.answered!.warnings, ...this.plan!.warnings]) this.log.writeln(`warning: ${warning}`);
  }
}
