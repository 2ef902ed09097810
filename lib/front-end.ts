/**
 * What the Yeoman generator and the standalone command share beyond the core:
 * their options (derived from the answers model), the run from options to a
 * plan, and the words they print. Each front-end only prompts, writes and prints.
 */
import { FIELDS, resolveAnswers, type AnswerKey, type Question, type Resolved, type Source } from './answers.js';
import { dryRunDiff, planGeneration, readStoredConfig, summaryLines, type Generation, type Resolution } from './generate.js';

export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  alias?: string;
  description: string;
}

/** Every option either front-end accepts: one per answer, then the run's own flags. */
export const FLAGS: FlagSpec[] = [
  ...FIELDS.map((f) => ({ name: f.option, type: 'string' as const, description: f.description })),
  { name: 'yes', type: 'boolean', alias: 'y', description: 'Ask nothing: take stored or default answers for what was not given' },
  { name: 'reconfigure', type: 'boolean', description: 'Ask every question again, with the stored answers as defaults' },
  { name: 'dry-run', type: 'boolean', description: 'Print the diff of what would change; write nothing' },
  { name: 'force', type: 'boolean', description: 'Take the new render of every file wholesale, dropping your edits to them' },
];

/** Raw option values keyed by answer, from an options object keyed by option name. */
export function answerOptions(options: Record<string, unknown>): Partial<Record<AnswerKey, string>> {
  const out: Partial<Record<AnswerKey, string>> = {};
  for (const field of FIELDS) {
    // Yeoman may hand an option over camel-cased (pythonVersion for --python-version).
    const value = options[field.option] ?? options[field.key];
    if (value !== undefined && value !== null && value !== true && value !== false) out[field.key] = String(value);
    else if (value === true) out[field.key] = ''; // `--port` with no value: let the parser refuse it
  }
  return out;
}

const flag = (options: Record<string, unknown>, name: string) =>
  Boolean(options[name] ?? options[name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())]);

const SOURCE_WORDS: Partial<Record<Source, string>> = {
  stored: 'from .yo-rc.json',
  detected: 'detected',
  default: 'default',
};

/** "framework  fastapi (default)" lines for the answers nobody typed in this run. */
function unaskedLines(resolved: Resolved): string[] {
  const lines: string[] = [];
  for (const field of FIELDS) {
    const source = resolved.sources[field.key];
    const value = resolved.answers[field.key];
    if (!source || source === 'option' || source === 'prompt' || value === undefined) continue;
    lines.push(`  ${field.option.padEnd(15)} ${String(value)} (${SOURCE_WORDS[source]})`);
  }
  return lines;
}

export interface RunContext {
  dir: string;
  /** Parsed options, keyed by option name. */
  options: Record<string, unknown>;
  /** Whether someone is there to answer (a terminal, or yeoman-test's prompts). */
  canPrompt: boolean;
  ask(question: Question): Promise<string>;
  askResolution(target: string): Promise<Resolution>;
}

export interface PreparedRun {
  resolved: Resolved;
  generation: Generation;
  dryRun: boolean;
  /** Printed before anything is written. */
  notes: string[];
}

/** Options → answers (asking what is open) → the plan. Throws UserError on bad input, before anything is written. */
export async function prepareRun(ctx: RunContext): Promise<PreparedRun> {
  const interactive = ctx.canPrompt && !flag(ctx.options, 'yes');
  const stored = readStoredConfig(ctx.dir);
  const resolved = await resolveAnswers({
    options: answerOptions(ctx.options),
    stored: stored?.answers,
    // A configured project asks nothing unless told to reconfigure.
    askStored: flag(ctx.options, 'reconfigure'),
    ask: interactive ? (q) => ctx.ask(q) : undefined,
  });
  const notes: string[] = [];
  const unasked = unaskedLines(resolved);
  if (unasked.length) {
    // Say why nothing was asked only when something would have been.
    const wouldAsk = Object.values(resolved.sources).some((s) => s === 'default' || s === 'detected');
    const noTerminal = !ctx.canPrompt && !flag(ctx.options, 'yes') && wouldAsk;
    notes.push([noTerminal ? 'No terminal, so nothing was asked. Answers:' : 'Answers:', ...unasked].join('\n'));
  }
  const generation = await planGeneration(ctx.dir, resolved.answers, {
    force: flag(ctx.options, 'force'),
    resolve: interactive ? (t) => ctx.askResolution(t) : undefined,
  });
  return { resolved, generation, dryRun: flag(ctx.options, 'dry-run'), notes };
}

export interface Closing {
  /** Summary (or, for --dry-run, the diff). */
  out: string[];
  /** Warnings and conflicts, after the summary. */
  err: string[];
  exitCode: number;
}

export async function closingReport(run: PreparedRun, dir: string): Promise<Closing> {
  const { generation, resolved } = run;
  const err = [...resolved.warnings, ...generation.warnings].map((w) => `warning: ${w}`);
  if (run.dryRun) {
    const diff = await dryRunDiff(dir, generation);
    return { out: [diff ? diff.trimEnd() : 'Nothing would change.', '(dry run: nothing was written)'], err, exitCode: 0 };
  }
  for (const target of generation.conflicts) err.push(`conflict: ${target} has <<<<<<< markers where your edit and the new version disagree`);
  return { out: summaryLines(generation), err, exitCode: generation.conflicts.length ? 1 : 0 };
}
