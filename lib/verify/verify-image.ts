/**
 * `--verify`: build the image the generated files describe, start it, and check
 * that it answers, is healthy and runs as the non-root user; then remove the
 * container and the test image — on every way out, Ctrl-C and SIGTERM included.
 * One line per check, ✔ or ✖; an engine failure is one line too, never a stack.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Answers } from '../answers.js';
import { frameworkPlugin } from '../frameworks/index.js';
import type { BuildProgress, EngineName } from './engine-names.js';
import { findEngine, type Engine, type FoundEngine, type Running } from './engines.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyResult {
  checks: Check[];
  /** Lines to show under the checks (the build log's tail, the app's output). */
  details: string[];
  exitCode: number;
}

/**
 * A new, empty build log that only this run can have made: in a private folder (mode 0700, a fresh name
 * from mkdtemp), created exclusively and never through a link, so no file planted in TMPDIR is appended to.
 */
export function createLogFile(imageName: string, parent = tmpdir()): string {
  const path = join(mkdtempSync(join(parent, 'python-docker-verify-')), `${imageName}.log`);
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW = 0 } = constants;
  closeSync(openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600));
  return path;
}

/**
 * Exit codes: a check failed (the image's fault), or the run could not verify at all
 * (no engine, the engine failed).
 */
export const VERIFY_EXIT = { failed: 1, cannotVerify: 2, SIGINT: 130, SIGTERM: 143 } as const;

export const NO_ENGINE = [
  'Cannot verify: no container engine found (tried docker, podman and buildah).',
  'Install Docker (https://docs.docker.com/get-docker/) or Podman (https://podman.io/docs/installation), ' +
    'then run again with --verify.',
];

/** "✔ builds — 41.2 s" / "✖ answers on port 8000 — nothing answered in 60 s". */
export function reportLines(checks: Check[]): string[] {
  return checks.map((c) => `${c.ok ? '✔' : '✖'} ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
}

/** The frontend image a `# syntax=` parser directive names, if the file starts with one. */
export function syntaxFrontend(dockerfile: string): string | undefined {
  return /^#\s*syntax\s*=\s*(\S+)\s*$/i.exec(dockerfile.split('\n')[0] ?? '')?.[1];
}

/** Whether a build failed because BuildKit could not fetch that frontend image (offline, no registry access). */
export function frontendUnreachable(log: string, frontend: string): boolean {
  const ref = frontend.replace(/^docker\.io\//, '');
  return log
    .split('\n')
    .some(
      (line) =>
        /failed to resolve source metadata for|resolve image config for|failed to load cache key/.test(line) &&
        line.includes(ref),
    );
}

/** What an error status on the health path most likely means, and what to do about it. */
function statusAdvice(status: number, framework: Answers['framework']): string {
  const own = frameworkPlugin(framework).statusAdvice?.(status);
  if (own) return own;
  return ': an error, not an answer; pass --health-path with a path that answers 200 (a health view)';
}

const reportLinesMention = (result: VerifyResult, text: string) =>
  [...result.checks.map((c) => c.detail), ...result.details].some((l) => l.includes(text));

const tail = (text: string, lines: number) => text.trimEnd().split('\n').slice(-lines);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const firstLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean) ?? '';

/** One line for an engine failure: what the engine said, not a stack. */
function oneLine(error: unknown): string {
  const e = error as { stderr?: string; shortMessage?: string; message?: string };
  return firstLine(e.stderr ?? '') || firstLine(e.shortMessage ?? '') || firstLine(e.message ?? String(error));
}

/** HTTP status of a GET, 0 when nothing answered in time (a ref'd timer: the process stays up while it waits). */
async function httpStatus(url: string, ms: number): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return (await fetch(url, { signal: controller.signal })).status;
  } catch {
    return 0;
  } finally {
    clearTimeout(timer);
  }
}

class Aborted extends Error {}

/** What this run created, and its removal: once, from whichever way out comes first. */
class Cleanup {
  readonly controller = new AbortController();
  private inflight?: Promise<unknown>;
  private done?: Promise<void>;
  private finished = false;

  constructor(
    private readonly engine: Engine,
    readonly container: string,
    readonly tag: string,
  ) {}

  /** Set by SIGINT or SIGTERM: the run stops, its cleanup ends the process. */
  interrupted = false;

  /** Runs an engine step that a signal may interrupt. */
  async step<T>(promise: Promise<T>): Promise<T> {
    this.inflight = promise.catch(() => undefined);
    const result = await promise;
    if (this.interrupted) throw new Aborted();
    return result;
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      this.controller.abort();
      // An interrupted `run` may still create the container: let it settle, then remove by name.
      await Promise.race([this.inflight, sleep(10_000)]);
      await this.engine.removeContainer(this.container);
      await this.engine.removeImage(this.tag);
      this.finished = true;
    })();
    return this.done;
  }

  runSync(): void {
    if (!this.finished) this.engine.removeSync(this.container, this.tag);
    this.finished = true;
  }
}

/** What a signal interrupts: where it comes from and how the process then ends (tests replace both). */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

function watchSignals(
  cleanup: Cleanup,
  say: (line: string) => void,
  source: SignalSource,
  exit: (code: number) => void,
): () => void {
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const listener = () => {
      if (cleanup.interrupted) return;
      cleanup.interrupted = true;
      say(`Interrupted (${signal}): removing the test container and image…`);
      void cleanup.run().finally(() => exit(VERIFY_EXIT[signal]));
    };
    source.on(signal, listener);
    return [signal, listener] as const;
  });
  // Any other way the process ends mid-run (an uncaught error, another handler's exit): remove synchronously.
  const onExit = () => cleanup.runSync();
  process.on('exit', onExit);
  return () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
    process.off('exit', onExit);
  };
}

export interface VerifyOptions {
  dir: string;
  answers: Answers;
  imageName: string;
  engine?: EngineName;
  /** Seconds to wait for the app's port, and again for its health status. */
  timeout?: number;
  onStep(progress: BuildProgress): void;
  /** What the run waits for after the build (the app's port, the health check): the progress line says so. */
  onWait?(text: string): void;
  /** Notes as they happen: an engine that cannot be used, a rebuild with the built-in frontend. */
  say?(line: string): void;
  /** The engine already found (or, in tests, a stand-in); else the first that works. */
  found?: FoundEngine;
  /** How long a worker must stay up, or exit 0, to count as started (ms). */
  workerWait?: number;
  signals?: SignalSource;
  exit?(code: number): void;
}

export async function verifyImage(options: VerifyOptions): Promise<VerifyResult> {
  const say = options.say ?? (() => undefined);
  const found = options.found ?? (await findEngine(options.engine));
  const reasons = found.unusable.map((u) => `${u.name} cannot be used: ${u.reason}`);
  if (found.configured) {
    const why = found.unusable.find((u) => u.name === 'docker')?.reason ?? 'it does not answer';
    const line = `could not verify: the Docker daemon you configured (${found.configured}) does not answer: ${why}`;
    const choose = '  Start it, or choose another (unset DOCKER_HOST, `docker context use default`, or --engine).';
    return { checks: [], details: [line, choose], exitCode: VERIFY_EXIT.cannotVerify };
  }
  if (!found.engine) {
    const lines = options.engine
      ? [`Cannot verify: ${reasons[0] ?? `${options.engine} does not answer here`}.`]
      : [...NO_ENGINE.slice(0, 1), ...reasons.map((r) => `  ${r}`), ...NO_ENGINE.slice(1)];
    return { checks: [], details: lines, exitCode: VERIFY_EXIT.cannotVerify };
  }
  const engine = found.engine;
  for (const reason of reasons) say(`${reason}; trying the next engine.`);
  if (reasons.length) say(`Using ${engine.name}.`);

  const spec = frameworkPlugin(options.answers.framework);
  const port = spec.web ? options.answers.port : undefined;
  const timeout = options.timeout ?? 60;
  const id = randomBytes(4).toString('hex');
  const tag = `${options.imageName}-verify:${id}`;
  let logFile: string;
  try {
    logFile = createLogFile(options.imageName);
  } catch (error) {
    const line = `could not verify: cannot create the build log in ${tmpdir()}: ${oneLine(error)}`;
    return { checks: [], details: [line], exitCode: VERIFY_EXIT.cannotVerify };
  }
  const checks: Check[] = [];
  const details: string[] = [];
  const cleanup = new Cleanup(engine, `${options.imageName}-verify-${id}`, tag);
  const signal = cleanup.controller.signal;
  const unwatch = watchSignals(
    cleanup,
    say,
    options.signals ?? process,
    options.exit ?? ((code) => process.exit(code)),
  );
  // Some waits (fetch's sockets) do not hold the event loop open: this does, until the end.
  const keepAlive = setInterval(() => undefined, 60_000);
  let phase = 'builds';

  const body = async (): Promise<VerifyResult> => {
    try {
      const started = Date.now();
      let built = await cleanup.step(engine.build(options.dir, tag, logFile, options.onStep, { signal }));
      let how = '';
      const dockerfilePath = join(options.dir, 'Dockerfile');
      const dockerfile = existsSync(dockerfilePath) ? readFileSync(dockerfilePath, 'utf8') : '';
      const frontend = syntaxFrontend(dockerfile);
      if (!built && frontend && existsSync(logFile) && frontendUnreachable(readFileSync(logFile, 'utf8'), frontend)) {
        say(
          `The Dockerfile's frontend (# syntax=${frontend}) cannot be fetched (offline, or no registry access): ` +
            `building again with ${engine.name}'s built-in frontend, ` +
            'the same file without that line on standard input.',
        );
        appendFileSync(
          logFile,
          `\n--- again with ${engine.name}'s built-in frontend (without the # syntax= line) ---\n`,
        );
        // The line is blanked, not removed: build errors then name the lines of the user's Dockerfile.
        const withoutLine = ['', ...dockerfile.split('\n').slice(1)].join('\n');
        const again = { signal, dockerfile: withoutLine };
        built = await cleanup.step(engine.build(options.dir, tag, logFile, options.onStep, again));
        how = ` (built-in frontend: ${frontend} could not be fetched)`;
      }
      // The log's path is named only where it explains a failure: a passing verify removes it.
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s with ${engine.name}${how}`;
      checks.push({ name: 'builds', ok: built, detail: built ? took : `${took}; log: ${logFile}` });
      if (!built) {
        details.push(
          'Last lines of the build log:',
          ...tail(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '', 15).map((l) => `  ${l}`),
        );
        return { checks, details, exitCode: VERIFY_EXIT.failed };
      }

      phase = 'starts';
      const config = await cleanup.step(engine.inspect(tag));
      const running: Running = await cleanup.step(
        engine.start(tag, { name: cleanup.container, port, healthcheck: Boolean(config.healthcheck), signal }),
      );
      if (port) {
        phase = `answers on port ${port}`;
        const url = `http://127.0.0.1:${running.hostPort ?? port}${options.answers.healthPath ?? spec.healthPath}`;
        options.onWait?.(`waiting for the app to answer on port ${port} (up to ${timeout} s)`);
        const deadline = Date.now() + timeout * 1000;
        let status = 0;
        while (status === 0 && Date.now() < deadline && (await running.alive())) {
          status = await httpStatus(url, 3000);
          if (status === 0) await sleep(500);
        }
        if (cleanup.interrupted) throw new Aborted();
        // Ready, not just answering: an error status (404 where no route matches, 400 for a host
        // a framework may not allow) fails, naming the path probed and what came back.
        const ok = status >= 200 && status < 400;
        checks.push({
          name: phase,
          ok,
          detail: status
            ? `HTTP ${status} on ${url}${ok ? '' : statusAdvice(status, options.answers.framework)}`
            : (await running.alive())
              ? `nothing answered on ${url} in ${timeout} s`
              : 'the app exited',
        });
      } else {
        const wait = options.workerWait ?? 3000;
        await sleep(wait);
        const code = await running.exitCode();
        checks.push({
          name: 'starts',
          ok: code === undefined || code === 0,
          detail:
            code === undefined
              ? `still running after ${wait / 1000} s`
              : code === 0
                ? 'ran and exited with code 0'
                : `exited with code ${code} within ${wait / 1000} s`,
        });
      }

      phase = 'healthcheck passes';
      const alive = await running.alive();
      if (config.healthcheck && alive) {
        if (running.health) {
          // The engine's own verdict, from its scheduler running the image's HEALTHCHECK.
          const until = `${engine.name} reports "starting" until it passes; up to ${timeout} s`;
          options.onWait?.(`waiting for the health check (${until})`);
          const deadline = Date.now() + timeout * 1000;
          let health = await running.health();
          while (
            !['healthy', 'unhealthy'].includes(health.status) &&
            Date.now() < deadline &&
            (await running.alive())
          ) {
            await sleep(500);
            health = await running.health();
          }
          if (cleanup.interrupted) throw new Aborted();
          const ok = health.status === 'healthy';
          const said = !ok && health.output ? `: ${tail(health.output, 1)[0]}` : '';
          checks.push({
            name: phase,
            ok,
            detail: `${engine.name} reports ${health.status || 'no health status'}${said}`,
          });
        } else {
          const health = await running.exec(config.healthcheck);
          checks.push({ name: phase, ok: health.exitCode === 0, detail: `exit ${health.exitCode}` });
        }
      } else if (!config.healthcheck) {
        checks.push({ name: 'healthcheck', ok: true, detail: 'none (not a web app)' });
      }

      phase = 'runs as a non-root user';
      const stillAlive = await running.alive();
      const uid = stillAlive ? (await running.exec(['id', '-u'])).output.trim() : config.user.split(':')[0];
      checks.push({
        name: phase,
        ok: /^\d+$/.test(uid) && uid !== '0',
        detail: `UID ${uid || 'unknown'}${stillAlive ? '' : ' (from the image config)'}`,
      });
      if (checks.some((c) => !c.ok))
        details.push('The app printed:', ...tail(await running.logs(), 15).map((l) => `  ${l}`));
      return { checks, details, exitCode: checks.every((c) => c.ok) ? 0 : VERIFY_EXIT.failed };
    } catch (error) {
      try {
        appendFileSync(
          logFile,
          `\n${phase}: ${engine.name} failed:\n${(error as { stderr?: string }).stderr ?? ''}\n` +
            `${String((error as Error)?.stack ?? error)}\n`,
        );
      } catch {
        // the one line below still says what failed
      }
      checks.push({ name: phase, ok: false, detail: `${engine.name} failed: ${oneLine(error)}; log: ${logFile}` });
      return { checks, details, exitCode: VERIFY_EXIT.cannotVerify };
    }
  };

  const result = await body();
  // Interrupted: the signal's cleanup ends the process; report nothing meanwhile.
  if (cleanup.interrupted) return new Promise<never>(() => undefined);
  await cleanup.run();
  // A passing verify leaves no log behind; a failing one's path is in its ✖ line or below.
  // A passing run leaves nothing behind: the log and the private folder it was made in.
  if (result.exitCode === 0) rmSync(dirname(logFile), { recursive: true, force: true });
  else if (!reportLinesMention(result, logFile)) result.details.push(`The build log: ${logFile}`);
  unwatch();
  clearInterval(keepAlive);
  return result;
}
