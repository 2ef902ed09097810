/**
 * Both front-ends, run as users run them: the standalone command in a process
 * of its own, the Yeoman generator through yeoman-test in this one (or, for what
 * needs a process of its own, through yeoman-environment as yo runs it). Either
 * can run with one call of the core's writer made to fail (fault-preload.mjs),
 * or, in a process of its own, under a file-size limit (`ulimit -f`, which binds root too).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { execa } from 'execa';
import helpers from 'yeoman-test';
import { describe } from 'vitest';
import { repoRoot } from './dockerfile.js';
import { CLI, GENERATOR } from './project.js';

export const FRONT_ENDS = ['python-docker', 'yo'] as const;
export type FrontEnd = (typeof FRONT_ENDS)[number];

export interface RunOptions {
  env?: Record<string, string>;
  /** `ulimit -f`: the largest file the process may write, in 1024-byte blocks (a process of its own). */
  fileSizeBlocks?: number;
  /** See fault-preload.mjs: "<call>:<code>:<file name>". */
  fault?: string;
  /** Run yo in a process of its own (SIGKILL, a file-size limit, two runs at once, a lock held by this process). */
  ownProcess?: boolean;
}

export interface FrontEndRun {
  exitCode?: number;
  signal?: string;
  /** Everything printed. */
  all: string;
}

const PRELOAD = join(repoRoot, 'test', 'helpers', 'fault-preload.mjs');
const RUN_YO = join(repoRoot, 'test', 'helpers', 'run-yo.mjs');

export async function runFrontEnd(
  frontEnd: FrontEnd,
  cwd: string,
  args: string[],
  options: RunOptions = {},
): Promise<FrontEndRun> {
  if (frontEnd === 'yo' && !options.ownProcess && options.fileSizeBlocks === undefined)
    return runYoHere(cwd, args, options);
  const node = [
    ...(options.fault ? ['--import', PRELOAD] : []),
    ...(frontEnd === 'yo' ? [RUN_YO, GENERATOR] : [CLI]),
    ...args,
  ];
  const env = { ...options.env, ...(options.fault ? { PYTHON_DOCKER_FAULT: options.fault } : {}) };
  const [file, argv] =
    options.fileSizeBlocks === undefined
      ? ['node', node]
      : ['bash', ['-c', `ulimit -f ${options.fileSizeBlocks} && exec node "$@"`, 'bash', ...node]];
  const run = await execa(file, argv, { cwd, reject: false, stdin: 'ignore', all: true, env, timeout: 60_000 });
  return { exitCode: run.exitCode, signal: run.signal, all: run.all ?? '' };
}

/** `--port 9001 --yes` → { port: '9001', yes: true }, as Yeoman's parser hands options over. */
function yoOptions(args: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = { force: false }; // yeoman-test's default is true; a user starts without
  for (let i = 0; i < args.length; i++) {
    const name = args[i].replace(/^--?/, '');
    if (args[i + 1] !== undefined && !args[i + 1].startsWith('-')) options[name] = args[++i];
    else options[name] = true;
  }
  return options;
}

/** Node's own loader, not the test runner's: the module instances yeoman-environment loads the generator with. */
const nativeRequire = createRequire(import.meta.url);

type Spy = { mock?: { calls: { arguments: unknown[] }[] } };

async function runYoHere(cwd: string, args: string[], options: RunOptions): Promise<FrontEndRun> {
  const saved = Object.fromEntries(Object.keys(options.env ?? {}).map((k) => [k, process.env[k]]));
  Object.assign(process.env, options.env);
  const restore = options.fault
    ? (nativeRequire(PRELOAD) as { injectFault(spec: string): () => void }).injectFault(options.fault)
    : () => {};
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    const result = await helpers.run(GENERATOR).cd(cwd).withOptions(yoOptions(args));
    const log = result.env.adapter.log as unknown as Record<string, Spy>;
    const all = Object.values(log)
      .flatMap((spy) => spy?.mock?.calls ?? [])
      .map((c) => String(c.arguments[0]))
      .join('\n');
    return { exitCode: Number(process.exitCode ?? 0), all };
  } catch (error) {
    // Anything thrown out of the generator is what a user would see as yo's stack trace.
    return { exitCode: 99, all: (error as Error).stack ?? String(error) };
  } finally {
    process.exitCode = before;
    restore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * A describe block for one front-end: the standalone command's runs are processes
 * of their own and may overlap; yeoman-test's change this process's folder, so they may not.
 */
export const suiteFor = (frontEnd: FrontEnd) => (frontEnd === 'yo' ? describe : describe.concurrent);

/** A stack trace's frame lines, which no file-system condition may print. */
export const STACK_FRAME = /^\s+at .+[:(]/m;
