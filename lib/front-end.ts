/**
 * What the Yeoman generator and the standalone command share beyond the core:
 * their options (derived from the answers model), the run from options to a
 * plan, and the words they print. Each front-end only prompts, writes and prints.
 */
import { join } from 'node:path';
import { FIELDS, resolveAnswers, type AnswerKey, type Answers, type Question, type Resolved, type Source } from './answers.js';
import { detectProject, type Detection } from './detect/detect-project.js';
import { missingEntrypoint } from './detect/modules.js';
import { fieldError, UserError } from './user-error.js';
import { ENGINE_NAMES, type BuildProgress, type EngineName } from './verify/engine-names.js';
import { dryRunDiff, planGeneration, readStoredConfig, summaryLines, type Generation, type Resolution } from './generate.js';

export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  alias?: string;
  description: string;
}

/** Every option either front-end accepts: one per answer, then the run's own flags. */
export const FLAGS: FlagSpec[] = [
  ...FIELDS.map((f) => ({ name: f.option, type: f.flag ? ('boolean' as const) : ('string' as const), description: f.description })),
  { name: 'yes', type: 'boolean', alias: 'y', description: 'Ask nothing: take stored or default answers for what was not given' },
  { name: 'reconfigure', type: 'boolean', description: 'Ask every question again, with the stored answers as defaults' },
  { name: 'dry-run', type: 'boolean', description: 'Print the diff of what would change; write nothing' },
  { name: 'force', type: 'boolean', description: 'Take the new render of every file wholesale, dropping your edits to them' },
  { name: 'verify', type: 'boolean', description: 'After writing, build the image, start it and check it answers, is healthy and runs as non-root' },
  { name: 'engine', type: 'string', description: `Container engine for --verify: ${ENGINE_NAMES.join(', ')} (default: the first that answers)` },
];

/** Raw option values keyed by answer, from an options object keyed by option name. */
export function answerOptions(options: Record<string, unknown>): Partial<Record<AnswerKey, string>> {
  const out: Partial<Record<AnswerKey, string>> = {};
  for (const field of FIELDS) {
    // Yeoman may hand an option over camel-cased (pythonVersion for --python-version).
    let value = options[field.option] ?? options[field.key];
    // Yeoman's parser reads `--no-buildkit` as `buildkit: false` (and its default, true, as "not given").
    if (field.option.startsWith('no-')) value = value === true || options[field.option.slice(3)] === false ? true : undefined;
    if (value === undefined || value === null) continue;
    if (field.flag) {
      // Absent is not "false": only a given flag (or Yeoman's --no-flag) overrides a stored answer.
      if (value === true || value === false) out[field.key] = String(value);
    } else if (value === true || value === false) {
      out[field.key] = ''; // `--port` with no value: let the parser refuse it
    } else {
      out[field.key] = String(value);
    }
  }
  return out;
}

const flag = (options: Record<string, unknown>, name: string) =>
  Boolean(options[name] ?? options[name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())]);

/** "framework  flask (flask in requirements.txt)" lines for the answers of these sources. */
function answerLines(resolved: Resolved, detection: Detection, sources: Source[]): string[] {
  const lines: string[] = [];
  for (const field of FIELDS) {
    const source = resolved.sources[field.key];
    const value = resolved.answers[field.key];
    if (!source || !sources.includes(source) || value === undefined) continue;
    if (field.flag && value === false) continue; // an option left off is not news
    const from = source === 'detected' ? detection.sources[field.key] : source === 'stored' ? 'from .yo-rc.json' : 'default';
    lines.push(`  ${field.option.padEnd(15)} ${String(value)} (${from})`);
  }
  return lines;
}

export interface RunContext {
  dir: string;
  /** Prints a line now (before any question). */
  say(text: string): void;
  /** Parsed options, keyed by option name. */
  options: Record<string, unknown>;
  /** Whether someone is there to answer (a terminal, or yeoman-test's prompts). */
  canPrompt: boolean;
  ask(question: Question): Promise<string>;
  askResolution(target: string): Promise<Resolution>;
}

export interface PreparedRun {
  /** The project folder: where the run started, or the subfolder chosen there. */
  dir: string;
  resolved: Resolved;
  generation: Generation;
  dryRun: boolean;
  detection: Detection;
  /** Questions can be asked (a terminal, no --yes). */
  interactive: boolean;
  verify: boolean;
  engine?: EngineName;
}

/**
 * A folder with no Python project of its own but projects in subfolders (a monorepo):
 * asks which, or refuses in one line naming them when nobody can answer.
 */
async function chooseSubproject(ctx: RunContext, subprojects: string[], interactive: boolean): Promise<string | undefined> {
  const named = subprojects.join(', ');
  if (!interactive) {
    throw new UserError(
      `no Python project in this folder (no dependency file or .py file), but ${named} ${subprojects.length > 1 ? 'each hold one' : 'holds one'}: run it there (cd ${subprojects[0]})`,
    );
  }
  const here = '.';
  const choice = await ctx.ask({
    name: 'project' as AnswerKey,
    kind: 'select',
    message: `No Python project in this folder; ${named} ${subprojects.length > 1 ? 'each hold one' : 'holds one'}. Write the Docker files for`,
    default: subprojects[0],
    choices: [...subprojects.map((d) => ({ name: d, value: d })), { name: 'this folder, as a new project (requirements.txt stub)', value: here }],
    validate: () => true,
  });
  return choice === here ? undefined : choice;
}

/** Options → answers (asking what is open) → the plan. Throws UserError on bad input, before anything is written. */
export async function prepareRun(ctx: RunContext): Promise<PreparedRun> {
  const interactive = ctx.canPrompt && !flag(ctx.options, 'yes');
  const engine = ctx.options.engine;
  if (engine !== undefined && !(ENGINE_NAMES as unknown[]).includes(engine)) {
    throw fieldError('engine', `"${String(engine)}" is not supported; expected one of ${ENGINE_NAMES.join(', ')}`);
  }
  const stored = readStoredConfig(ctx.dir);
  const options = answerOptions(ctx.options);
  const detection = detectProject(ctx.dir, { generated: Object.keys(stored?.files ?? {}) });
  if (detection.subprojects.length && !stored) {
    const chosen = await chooseSubproject(ctx, detection.subprojects, interactive);
    if (chosen) return prepareRun({ ...ctx, dir: join(ctx.dir, chosen) });
  }
  const reconfigure = flag(ctx.options, 'reconfigure');
  const input = {
    options,
    stored: stored?.answers,
    detected: detection.answers,
    detectedSources: detection.sources,
    // Stored answers that were detected follow the project; an older record without the list: all were given.
    follow: stored?.detected ?? [],
    suggested: detection.suggested,
    // A configured or detected answer is not asked again unless told to reconfigure.
    askKnown: reconfigure,
    // A typed entrypoint naming what is not in a project that has code cannot work; in a new
    // project (no .py file yet) it names code still to be written, and is only flagged below.
    refuse: (key: AnswerKey, value: unknown, so: Partial<Answers>) => {
      if (key !== 'entrypoint' || !detection.tree.files.some((f) => f.endsWith('.py'))) return undefined;
      const missing = missingEntrypoint(detection.tree, { entrypoint: String(value), framework: so.framework ?? 'none' }, detection.declared);
      return missing && `cannot load: ${missing}; expected an entrypoint that exists in this project`;
    },
  };
  // Settle every answer without asking first: a bad option is refused before anything is printed.
  const unasked = await resolveAnswers(input);
  // Detected answers are shown once, with where they came from: before any question when there are
  // questions, else after planning, so that a refused project prints nothing but its one line.
  const shown = FIELDS.filter((f) => unasked.sources[f.key] === 'detected');
  const was = (key: AnswerKey) => {
    const before = stored?.answers?.[key];
    return before !== undefined && String(before) !== String(unasked.answers[key]) ? `; was ${String(before)}` : '';
  };
  const detected =
    shown.length || detection.notes.length
      ? [
          'Detected:',
          ...shown.map((f) => `  ${f.option.padEnd(15)} ${String(unasked.answers[f.key])} (${detection.sources[f.key]}${was(f.key)})`),
          ...detection.notes.map((n) => `  ${n}`),
        ].join('\n')
      : undefined;
  if (interactive && detected) ctx.say(detected);
  const resolved = interactive ? await resolveAnswers({ ...input, ask: (q) => ctx.ask(q) }) : unasked;
  const followed = FIELDS.map((f) => f.key).filter((key) => {
    const source = resolved.sources[key];
    return source === 'detected' || source === 'default' || (source === 'stored' && (stored?.detected ?? []).includes(key));
  });
  // An entrypoint nobody typed that names nothing in the project: written, but said plainly.
  const notReady: string[] = [];
  const missing = missingEntrypoint(detection.tree, resolved.answers, detection.declared);
  if (missing) {
    const source = resolved.sources.entrypoint;
    const from = source === 'stored' ? 'from .yo-rc.json' : source === 'detected' ? detection.sources.entrypoint : source === 'default' ? 'the default' : 'as given';
    notReady.push(`the entrypoint ${resolved.answers.entrypoint} (${from}) cannot load: ${missing}; the container will exit at start. Pass --entrypoint, or create it`);
  }
  const generation = await planGeneration(ctx.dir, resolved.answers, {
    force: flag(ctx.options, 'force'),
    resolve: interactive ? (t) => ctx.askResolution(t) : undefined,
    tree: detection.tree,
    detected: followed,
    notReady,
  });
  if (!interactive && detected) ctx.say(detected);
  const rest = answerLines(resolved, detection, ['stored', 'default']);
  if (rest.length) {
    // Say why nothing was asked only when something would have been.
    const noTerminal = !ctx.canPrompt && !flag(ctx.options, 'yes') && Object.values(resolved.sources).includes('default');
    ctx.say([noTerminal ? 'No terminal, so nothing was asked. Answers:' : 'Answers:', ...rest].join('\n'));
  }
  generation.warnings.unshift(...detection.warnings);
  return {
    dir: ctx.dir,
    resolved,
    generation,
    dryRun: flag(ctx.options, 'dry-run'),
    detection,
    interactive,
    verify: flag(ctx.options, 'verify'),
    engine: engine as EngineName | undefined,
  };
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

export interface VerifyIo {
  say(line: string): void;
  onStep(progress: BuildProgress): void;
  confirm(message: string): Promise<boolean>;
}

/** After the files are written: --verify, or (interactive, with an engine there) a yes/no question, default no. */
export async function verifyAfterWriting(run: PreparedRun, dir: string, io: VerifyIo): Promise<number> {
  if (run.dryRun) return 0;
  let wanted = run.verify;
  let found: import('./verify/engines.js').FoundEngine | undefined;
  // Asked only in runs that asked something: a configured re-run asks nothing at all.
  const askedSomething = Object.values(run.resolved.sources).includes('prompt');
  if (!wanted && run.interactive && askedSomething) {
    const { findEngine } = await import('./verify/engines.js');
    found = await findEngine(run.engine);
    if (found.engine) wanted = await io.confirm(`Build and test the image with ${found.engine.name} now?`);
  }
  if (!wanted) return 0;
  io.say('Verifying: building the image…');
  const { verifyImage, reportLines } = await import('./verify/verify-image.js');
  const result = await verifyImage({
    dir,
    answers: run.generation.answers,
    imageName: run.generation.imageName,
    engine: run.engine,
    found,
    onStep: io.onStep,
    say: io.say,
  });
  for (const line of [...reportLines(result.checks), ...result.details]) io.say(line);
  return result.exitCode;
}

/** Build steps as they come: one rewritten line in a terminal, one line per step elsewhere. */
export function stepPrinter(write: (text: string) => void, terminal: boolean): (progress: BuildProgress) => void {
  let last = '';
  return ({ step, of, text }) => {
    const line = `  step ${step}/${of}: ${text.length > 70 ? `${text.slice(0, 69)}…` : text}`;
    if (line === last) return;
    last = line;
    write(terminal ? `\r\x1b[K${line}` : `${line}\n`);
  };
}
