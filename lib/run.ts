/**
 * A run, the same under both front-ends: options → answers (asking what is
 * open) → the plan; then, once the front-end has written it, the closing
 * report, the --verify question and "Next:". Front-ends only prompt, write and print.
 */
import { FIELDS, resolveAnswers, type Question, type Resolved } from './answers.js';
import { detectProject, type Detection } from './detect/detect-project.js';
import { planGeneration, type Generation } from './generate.js';
import { answerOptions, flag } from './options.js';
import type { Resolution } from './regenerate.js';
import { answerLines, detectedBlock, dryRunDiff, nextLines, stepPrinter, summaryLines } from './report.js';
import { readYoRc, storedConfig } from './stored-config.js';
import { fieldError } from './user-error.js';
import { ENGINE_NAMES, type EngineName } from './verify/engine-names.js';

export interface RunContext {
  dir: string;
  /** Prints a line now (before any question). */
  say(text: string): void;
  /** Parsed options, keyed by option name. */
  options: Record<string, unknown>;
  /** Whether someone is there to answer (a terminal on stdin, or yeoman-test's prompts). */
  canPrompt: boolean;
  ask(question: Question): Promise<string>;
  askResolution(target: string): Promise<Resolution>;
}

export interface PreparedRun {
  resolved: Resolved;
  generation: Generation;
  dryRun: boolean;
  detection: Detection;
  /** Questions can be asked (a terminal, no --yes). */
  interactive: boolean;
  verify: boolean;
  engine?: EngineName;
}

/** Options → answers (asking what is open) → the plan. Throws UserError on bad input, before anything is written. */
export async function prepareRun(ctx: RunContext): Promise<PreparedRun> {
  const interactive = ctx.canPrompt && !flag(ctx.options, 'yes');
  const engine = ctx.options.engine;
  if (engine !== undefined && !(ENGINE_NAMES as unknown[]).includes(engine)) {
    throw fieldError('engine', `"${String(engine)}" is not supported; expected one of ${ENGINE_NAMES.join(', ')}`);
  }
  const yoRc = readYoRc(ctx.dir);
  const stored = storedConfig(yoRc);
  const options = answerOptions(ctx.options);
  const detection = detectProject(ctx.dir);
  const input = {
    options,
    stored: stored?.answers,
    detected: detection.answers,
    suggested: detection.suggested,
    // A configured or detected answer is not asked again unless told to reconfigure.
    askKnown: flag(ctx.options, 'reconfigure'),
  };
  // Settle every answer without asking first: a bad option is refused before anything is printed.
  const unasked = await resolveAnswers(input);
  // Detected answers are shown once, with where they came from: before any question when there are
  // questions, else after planning, so that a refused project prints nothing but its one line.
  const detected = detectedBlock(
    detection,
    FIELDS.filter((f) => detection.answers[f.key] !== undefined && options[f.key] === undefined && stored?.answers?.[f.key] === undefined),
  );
  if (interactive && detected) ctx.say(detected);
  const resolved = interactive ? await resolveAnswers({ ...input, ask: (q) => ctx.ask(q) }) : unasked;
  const generation = await planGeneration(ctx.dir, resolved.answers, {
    yoRc,
    force: flag(ctx.options, 'force'),
    resolve: interactive ? (t) => ctx.askResolution(t) : undefined,
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
    resolved,
    generation,
    dryRun: flag(ctx.options, 'dry-run'),
    detection,
    interactive,
    verify: flag(ctx.options, 'verify'),
    engine: engine as EngineName | undefined,
  };
}

export interface ClosingIo {
  /** The product's report: stdout under both front-ends. */
  out(line: string): void;
  /** Warnings and conflicts. */
  err(line: string): void;
  /** Raw stdout, for the build-step line a terminal rewrites in place. */
  write(text: string): void;
  /** Whether stdout is a terminal (build steps rewrite one line). */
  terminal: boolean;
  confirm(message: string): Promise<boolean>;
}

/** After the files are written: the summary, warnings, --verify (or its question), then "Next:". Returns the exit code. */
export async function finishRun(run: PreparedRun, dir: string, io: ClosingIo): Promise<number> {
  const { generation, resolved } = run;
  const warnings = [...resolved.warnings, ...generation.warnings].map((w) => `warning: ${w}`);
  if (run.dryRun) {
    const diff = await dryRunDiff(dir, generation);
    io.out([diff ? diff.trimEnd() : 'Nothing would change.', '(dry run: nothing was written)'].join('\n'));
    for (const line of warnings) io.err(line);
    return 0;
  }
  io.out(summaryLines(generation).join('\n'));
  for (const line of warnings) io.err(line);
  for (const target of generation.conflicts) io.err(`conflict: ${target} has <<<<<<< markers where your edit and the new version disagree`);
  const verified = await verifyAfterWriting(run, dir, io);
  io.out(nextLines(generation).join('\n'));
  return Math.max(generation.conflicts.length ? 1 : 0, verified);
}

/** --verify, or (interactive, with an engine there) a yes/no question, default no. */
async function verifyAfterWriting(run: PreparedRun, dir: string, io: ClosingIo): Promise<number> {
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
  io.out('Verifying: building the image…');
  const printStep = stepPrinter(io.write, io.terminal);
  const { verifyImage, reportLines } = await import('./verify/verify-image.js');
  const result = await verifyImage({
    dir,
    answers: run.generation.answers,
    imageName: run.generation.imageName,
    engine: run.engine,
    found,
    onStep: printStep,
    say: (line) => {
      if (io.terminal) io.write('\r\x1b[K'); // clear the step line
      io.out(line);
    },
  });
  if (io.terminal) io.write('\r\x1b[K'); // clear the step line
  for (const line of [...reportLines(result.checks), ...result.details]) io.out(line);
  return result.exitCode;
}
