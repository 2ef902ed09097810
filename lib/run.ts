/**
 * A run, the same under both front-ends: options → answers (asking what is
 * open) → the plan; then, once the front-end has written it, the closing
 * report, the --verify question and "Next:". Front-ends only prompt, write and print.
 */
import { join } from 'node:path';
import { FIELDS, resolveAnswers, type AnswerKey, type Answers, type Question, type Resolved } from './answers.js';
import { detectProject, type Detection } from './detect/detect-project.js';
import { checkPins } from './project/index-check.js';
import { ProjectTree } from './project/project-tree.js';
import { missingEntrypoint } from './project/modules.js';
import { planGeneration, writeGeneration, type Generation } from './generate.js';
import { answerOptions, flag } from './options.js';
import type { Resolution } from './regenerate.js';
import { chooseHostPort, hostPortFree } from './host-port.js';
import { answerLines, detectedBlock, dryRunDiff, fixFirst, nextLines, stepPrinter, summaryLines } from './report.js';
import type { Outcome } from './report.js';
import { frameworkPlugin } from './frameworks/index.js';
import { oneLine } from './terminal-text.js';
import { acquireLock, checkRunFolder, type Lock } from './safe-files.js';
import { readYoRc, storedConfig, type StoredConfig } from './stored-config.js';
import { fieldError, quoted, UserError } from './user-error.js';
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
  /** The folder's lock, held from the first read of the project until the files are written. */
  lock: Lock;
  /** The Dockerfile keeps its `# syntax=` line although the Docker daemon cannot fetch its frontend. */
  frontendUnreachable?: boolean;
}

/**
 * The `# syntax=` line, when the user left it to the run: the Docker daemon is asked (a few
 * seconds at most) whether it can fetch the frontend; when not, the run says so and drops
 * the line (asked in a terminal, at once with --yes). True when the line stays unusable.
 */
async function settleSyntaxLine(
  ctx: RunContext,
  resolved: Resolved,
  interactive: boolean,
  chosen: boolean,
): Promise<boolean> {
  if (!resolved.answers.syntaxLine || chosen || process.env.PYTHON_DOCKER_FRONTEND_PROBE === 'off') return false;
  // Podman and buildah ignore the line: only Docker's BuildKit fetches the frontend.
  if (ctx.options.engine !== undefined && ctx.options.engine !== 'docker') return false;
  const { probeFrontend } = await import('./verify/frontend.js');
  const { unreachable } = await probeFrontend();
  if (!unreachable) return false;
  const line = `The Dockerfile's \`# syntax=\` line would fail every build here: ${unreachable}`;
  const drop = () => {
    resolved.answers.syntaxLine = false;
    resolved.sources.syntaxLine = 'prompt';
  };
  if (interactive) {
    ctx.say(`${line}.`);
    const answer = await ctx.ask({
      name: 'syntaxLine',
      kind: 'confirm',
      message: "Drop the `# syntax=` line? (Docker's built-in frontend builds the rest the same)",
      default: 'true',
      validate: () => true,
    });
    if (answer === 'true') drop();
    else resolved.sources.syntaxLine = 'prompt'; // kept on purpose: not asked again
    return answer !== 'true';
  }
  if (flag(ctx.options, 'yes')) {
    drop();
    ctx.say(`${line}: dropped it (--yes; --syntax-line=yes brings it back).`);
    return false;
  }
  ctx.say(`${line}: kept it; --syntax-line=no (or --yes) drops it.`);
  return true;
}

/**
 * A folder with no Python project of its own but projects in subfolders (a monorepo):
 * asks which, or refuses in one line naming them when nobody can answer.
 */
async function chooseSubproject(
  ctx: RunContext,
  subprojects: string[],
  interactive: boolean,
): Promise<string | undefined> {
  const named = subprojects.join(', ');
  const hold = subprojects.length > 1 ? 'each hold one' : 'holds one';
  if (!interactive) {
    throw new UserError(
      `no Python project in this folder (no dependency file or .py file), but ${named} ${hold}: ` +
        `run it there (cd ${subprojects[0]})`,
    );
  }
  const here = '.';
  const choice = await ctx.ask({
    name: 'project' as AnswerKey,
    kind: 'select',
    message: `No Python project in this folder; ${named} ${hold}. Write the Docker files for`,
    default: subprojects[0],
    choices: [
      ...subprojects.map((d) => ({ name: d, value: d })),
      { name: 'this folder, as a new project (requirements.txt stub)', value: here },
    ],
    validate: () => true,
  });
  return choice === here ? undefined : choice;
}

/**
 * Why each answer that does not follow the project is pinned: given now, chosen at a prompt,
 * or as an earlier run recorded.
 */
function pinnedReasons(
  resolved: Resolved,
  stored: StoredConfig | undefined,
  followed: AnswerKey[],
): Partial<Record<AnswerKey, string>> {
  const out: Partial<Record<AnswerKey, string>> = {};
  for (const field of FIELDS) {
    const source = resolved.sources[field.key];
    if (source === 'option') out[field.key] = `given as --${field.option}`;
    else if (source === 'prompt') out[field.key] = 'chosen at a prompt';
    else if (source === 'stored' && !followed.includes(field.key))
      out[field.key] = stored?.pinned?.[field.key] ?? 'given in an earlier run';
  }
  return out;
}

/** --reconfigure: the stored answers that stay whatever the project says, and why, before the questions. */
function pinnedBlock(unasked: Resolved, stored: StoredConfig | undefined): string | undefined {
  const follow = stored?.detected ?? [];
  const lines = FIELDS.filter(
    (f) => stored?.answers?.[f.key] !== undefined && !follow.includes(f.key) && unasked.sources[f.key] === 'stored',
  ).map(
    (f) =>
      `  ${f.option.padEnd(15)} ${String(stored!.answers![f.key]) || '(none)'} ` +
      `(${stored?.pinned?.[f.key] ?? 'given in an earlier run'})`,
  );
  if (!lines.length) return undefined;
  return [
    'Pinned in .yo-rc.json (kept whatever the project says; --OPTION auto follows the project again):',
    ...lines,
  ].join('\n');
}

/** Options → answers (asking what is open) → the plan. Throws UserError on bad input, before anything is written. */
export async function prepareRun(ctx: RunContext): Promise<PreparedRun> {
  checkRunFolder(ctx.dir);
  // Two runs in one folder never plan from the same files: the second waits (or is refused).
  const lock = flag(ctx.options, 'dry-run') ? { release() {} } : acquireLock(ctx.dir);
  let prepared: PreparedRun;
  try {
    prepared = await prepareLocked(ctx, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
  // A subproject chosen in a monorepo is planned under its own folder's lock.
  if (prepared.lock !== lock) lock.release();
  return prepared;
}

async function prepareLocked(ctx: RunContext, lock: Lock): Promise<PreparedRun> {
  const interactive = ctx.canPrompt && !flag(ctx.options, 'yes');
  const engine = ctx.options.engine;
  if (engine !== undefined && !(ENGINE_NAMES as unknown[]).includes(engine)) {
    throw fieldError(
      'engine',
      `${quoted(String(engine))} is not supported; expected one of ${ENGINE_NAMES.join(', ')}`,
    );
  }
  const yoRc = readYoRc(ctx.dir);
  const stored = storedConfig(yoRc);
  const options = answerOptions(ctx.options);
  const tree = new ProjectTree(ctx.dir);
  // Pinned requirements without a lock: their wheels, as the user's index lists them (not under --offline).
  const offlineEnv = !['', '0', undefined].includes(process.env.PYTHON_DOCKER_OFFLINE);
  const offline = options.offline === 'true' || (options.offline === undefined && offlineEnv);
  const index = offline ? { asked: 0 } : await checkPins(tree);
  const generated = Object.keys(stored?.files ?? {});
  const detection = detectProject(ctx.dir, { generated, tree, indexed: index.packages });
  if (index.warning) detection.warnings.push(index.warning);
  if (detection.subprojects.length && !stored) {
    const chosen = await chooseSubproject(ctx, detection.subprojects, interactive);
    if (chosen) return prepareRun({ ...ctx, dir: join(ctx.dir, chosen) });
  }
  const input = {
    options,
    stored: stored?.answers,
    detected: detection.answers,
    detectedSources: detection.sources,
    // Stored answers that were detected follow the project; an older record without the list: all were given.
    follow: stored?.detected ?? [],
    suggested: detection.suggested,
    // A configured or detected answer is not asked again unless told to reconfigure.
    askKnown: flag(ctx.options, 'reconfigure'),
    // A typed entrypoint naming what is not in a project that has code cannot work; in a new
    // project (no .py file yet) it names code still to be written, and is only flagged below.
    refuse: (key: AnswerKey, value: unknown, so: Partial<Answers>) => {
      if (key !== 'entrypoint' || !detection.tree.files.some((f) => f.endsWith('.py'))) return undefined;
      const missing = missingEntrypoint(
        detection.tree,
        { entrypoint: String(value), framework: so.framework ?? 'none' },
        detection.declared,
      );
      return missing && `cannot load: ${missing}; expected an entrypoint that exists in this project`;
    },
  };
  // Settle every answer without asking first: a bad option is refused before anything is printed.
  const unasked = await resolveAnswers(input);
  // Detected answers are shown once, with where they came from: before any question when there are
  // questions, else after planning, so that a refused project prints nothing but its one line.
  const detected = detectedBlock(
    detection,
    FIELDS.filter((f) => unasked.sources[f.key] === 'detected'),
    stored?.answers,
  );
  if (interactive && detected) ctx.say(detected);
  if (flag(ctx.options, 'reconfigure')) {
    const block = pinnedBlock(unasked, stored);
    if (block) ctx.say(block);
  }
  const resolved = interactive ? await resolveAnswers({ ...input, ask: (q) => ctx.ask(q) }) : unasked;
  const syntaxSource = resolved.sources.syntaxLine;
  // Asked once: on a first run (or the first after an upgrade) and with --reconfigure. A re-run does not pay
  // for a registry round trip each time; `--verify` still notices a frontend that has become unreachable.
  const syntaxFollows =
    syntaxSource === 'stored' && (stored?.detected ?? []).includes('syntaxLine') && flag(ctx.options, 'reconfigure');
  const syntaxChosen = !(syntaxSource === 'default' || syntaxFollows);
  const frontendUnreachable = await settleSyntaxLine(ctx, resolved, interactive, syntaxChosen);
  const followed = FIELDS.map((f) => f.key).filter((key) => {
    const source = resolved.sources[key];
    return (
      source === 'detected' || source === 'default' || (source === 'stored' && (stored?.detected ?? []).includes(key))
    );
  });
  const pinned = pinnedReasons(resolved, stored, followed);
  // An entrypoint naming nothing in the project is written (new projects write the code next), but never silently.
  const notReady: string[] = [];
  const missing = missingEntrypoint(detection.tree, resolved.answers, detection.declared);
  const { entrypoint } = resolved.answers;
  const unloadable = missing
    ? undefined
    : frameworkPlugin(resolved.answers.framework).unloadable?.(detection.tree, entrypoint, detection.declared);
  if (missing || unloadable) {
    const source = resolved.sources.entrypoint;
    const from =
      source === 'stored'
        ? 'from .yo-rc.json'
        : source === 'detected'
          ? detection.sources.entrypoint
          : source === 'default'
            ? 'the default'
            : 'as given';
    notReady.push(
      `the entrypoint ${entrypoint} (${from}) cannot load: ` +
        (missing ? `${missing}; pass --entrypoint, or create it` : unloadable),
    );
  }
  const generation = await planGeneration(ctx.dir, resolved.answers, {
    yoRc,
    engine: engine as EngineName | undefined,
    force: flag(ctx.options, 'force'),
    // --yes takes the question's default: add it.
    addServer: interactive
      ? async (message) =>
          (await ctx.ask({ name: 'addServer', kind: 'confirm', message, default: 'true', validate: () => true })) ===
          'true'
      : flag(ctx.options, 'yes')
        ? async () => true
        : undefined,
    resolve: interactive ? (t) => ctx.askResolution(t) : undefined,
    tree: detection.tree,
    indexed: index.packages,
    detected: followed,
    pinned,
    notReady,
  });
  if (!interactive && detected) ctx.say(detected);
  const rest = answerLines(resolved, detection, ['stored', 'default'], pinned);
  if (rest.length) {
    // Say why nothing was asked only when something would have been.
    const noTerminal =
      !ctx.canPrompt && !flag(ctx.options, 'yes') && Object.values(resolved.sources).includes('default');
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
    lock,
    frontendUnreachable,
  };
}

/** Writes the plan (every file or none, .yo-rc.json last; nothing for --dry-run) and releases the folder's lock. */
export function writePlannedFiles(run: PreparedRun, dir: string): void {
  try {
    if (!run.dryRun) writeGeneration(dir, run.generation);
  } finally {
    run.lock.release();
  }
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
  /** Whether a host port is free (tests replace the real check). */
  portFree?(port: number): Promise<boolean>;
}

/**
 * After the files are written: the summary, warnings, --verify (or its question), then "Next:".
 * Returns the exit code.
 */
export async function finishRun(run: PreparedRun, dir: string, io: ClosingIo): Promise<number> {
  const { generation, resolved } = run;
  const warnings = [...resolved.warnings, ...generation.warnings].map((w) => `warning: ${oneLine(w)}`);
  if (run.dryRun) {
    const diff = await dryRunDiff(dir, generation);
    // A conflict is not "nothing would change": it is said, and fails the dry run like any re-run.
    const conflicts = generation.files.filter((f) => f.status === 'conflict');
    const none = conflicts.length ? 'No file would change.' : 'Nothing would change.';
    io.out([diff ? diff.trimEnd() : none, '(dry run: nothing was written)'].join('\n'));
    for (const line of warnings) io.err(line);
    for (const f of conflicts) {
      io.err(
        f.unresolved
          ? `conflict: ${f.target} still has <<<<<<< markers; resolve them, then run again`
          : `conflict: ${f.target} would get <<<<<<< markers where your edit and the new version disagree`,
      );
    }
    return conflicts.length ? 1 : 0;
  }
  io.out(summaryLines(generation).join('\n'));
  for (const line of warnings) io.err(line);
  for (const target of generation.conflicts)
    io.err(`conflict: ${target} has <<<<<<< markers where your edit and the new version disagree`);
  const verified = await verifyAfterWriting(run, dir, io);
  const outcome: Outcome = { fixFirst: verified.fixFirst, frontendUnreachable: run.frontendUnreachable };
  const { port } = generation.answers;
  if (frameworkPlugin(generation.answers.framework).web && port) {
    // The port "Next:" publishes is checked now, not when `docker run` or `docker compose up` fails on it.
    // PYTHON_DOCKER_HOST_PORT_CHECK=off: the fast tests, whose runs in parallel would find each other's probe.
    const skip = process.env.PYTHON_DOCKER_HOST_PORT_CHECK === 'off';
    outcome.hostPort = await chooseHostPort(port, io.portFree ?? (skip ? async () => true : hostPortFree));
    if (outcome.hostPort.taken) {
      const free = outcome.hostPort.port;
      const instead = free === port ? 'no free port found above it' : `${free} is free, and "Next:" uses it`;
      io.err(`warning: port ${port} is in use on this machine, so publishing the app there would fail; ${instead}`);
    }
  }
  io.out(nextLines(generation, outcome).join('\n'));
  return Math.max(generation.conflicts.length ? 1 : 0, verified.exitCode);
}

/** --verify, or (interactive, with an engine there) a yes/no question, default no. */
type Verified = { exitCode: number; fixFirst?: string };

async function verifyAfterWriting(run: PreparedRun, dir: string, io: ClosingIo): Promise<Verified> {
  let wanted = run.verify;
  let found: import('./verify/engines.js').FoundEngine | undefined;
  // Asked only in runs that asked something: a configured re-run asks nothing at all.
  const askedSomething = Object.values(run.resolved.sources).includes('prompt');
  if (!wanted && run.interactive && askedSomething) {
    const { findEngine } = await import('./verify/engines.js');
    found = await findEngine(run.engine);
    if (found.engine) wanted = await io.confirm(`Build and test the image with ${found.engine.name} now?`);
  }
  if (!wanted) return { exitCode: 0 };
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
    onWait: (text) => io.write(io.terminal ? `\r\x1b[K  ${text}…` : `  ${text}…\n`),
    say: (line) => {
      if (io.terminal) io.write('\r\x1b[K'); // clear the step line
      io.out(line);
    },
  });
  if (io.terminal) io.write('\r\x1b[K'); // clear the step line
  for (const line of [...reportLines(result.checks), ...result.details]) io.out(line);
  return { exitCode: result.exitCode, fixFirst: fixFirst(result.checks, result.exitCode) };
}
