/**
 * Container engines `--verify` can build and run with: Docker, Podman (same
 * CLI), or buildah (no daemon; containers run with chroot isolation on the
 * host network, as ../shared/buildbox does).
 */
import { spawnSync } from 'node:child_process';
import { constants, createWriteStream, openSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import type { ResultPromise } from 'execa';

import { ENGINE_NAMES, type BuildProgress, type EngineName } from './engine-names.js';

export interface Health {
  /** `starting`, `healthy` or `unhealthy` (Docker's words). */
  status: string;
  /** What the last probe printed. */
  output: string;
}

export interface Running {
  /** Where the app's port is reachable on this machine (engine-picked for Docker and Podman). */
  hostPort?: number;
  /** Whether the app process is still up. */
  alive(): Promise<boolean>;
  /** The app's exit code once it has ended; undefined while it runs. */
  exitCode(): Promise<number | undefined>;
  /** The engine's own health status, where the engine keeps one (Docker, Podman). */
  health?(): Promise<Health>;
  /** Runs a command inside the running container (as the image's user). */
  exec(argv: string[]): Promise<{ exitCode: number; output: string }>;
  /** What the app printed. */
  logs(): Promise<string>;
}

export interface BuildOptions {
  /** The Dockerfile's text, passed on standard input instead of the context's Dockerfile. */
  dockerfile?: string;
  signal?: AbortSignal;
}

export interface StartOptions {
  /** The container's name: cleanup finds it by name even when `run` was interrupted. */
  name: string;
  /** The app's port inside the container (web apps). */
  port?: number;
  /** Whether the image has a HEALTHCHECK (its interval is shortened for the check). */
  healthcheck: boolean;
  signal?: AbortSignal;
}

export interface Engine {
  name: EngineName;
  build(
    context: string,
    tag: string,
    logFile: string,
    onStep: (p: BuildProgress) => void,
    options?: BuildOptions,
  ): Promise<boolean>;
  /** The image's config: its argv, user and healthcheck test. */
  inspect(tag: string): Promise<{ argv: string[]; user: string; healthcheck?: string[] }>;
  start(tag: string, options: StartOptions): Promise<Running>;
  /** Removes the named container (and ends its processes); fine when there is none. */
  removeContainer(name: string): Promise<void>;
  removeImage(tag: string): Promise<void>;
  /** The same two removals, synchronously: the last resort when the process exits mid-run. */
  removeSync(container: string, tag: string): void;
}

/** "#7 [builder 3/6] RUN …" (BuildKit) and "STEP 3/11: RUN …" / "[1/2] STEP 3/7: RUN …" (Podman, buildah). */
export function parseStep(line: string): BuildProgress | undefined {
  const buildkit = /^#\d+ \[(?:[\w.-]+ )?(\d+)\/(\d+)\] (.+)$/.exec(line);
  if (buildkit) return { step: Number(buildkit[1]), of: Number(buildkit[2]), text: buildkit[3] };
  const step = /STEP (\d+)\/(\d+): (.+)$/.exec(line);
  if (step) return { step: Number(step[1]), of: Number(step[2]), text: step[3] };
  return undefined;
}

/** Runs a build, its whole output into the log file, its steps to onStep. */
async function logged(
  command: string,
  args: string[],
  logFile: string,
  onStep: (p: BuildProgress) => void,
  options: { env?: Record<string, string>; input?: string; signal?: AbortSignal } = {},
): Promise<boolean> {
  // An ES module only: imported here, not by the CommonJS command at start (Node 22.0–22.11 cannot require() it).
  const { execa } = await import('execa');
  // Appended to, never through a link (verify-image.ts creates it in a private folder).
  const { O_WRONLY, O_APPEND, O_CREAT, O_NOFOLLOW = 0 } = constants;
  const log = createWriteStream('', { fd: openSync(logFile, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o600) });
  const child = execa(command, args, {
    reject: false,
    all: true,
    buffer: false,
    env: options.env,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  let pending = '';
  child.all?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const step = parseStep(line.trim());
      if (step) onStep(step);
    }
  });
  const result = await child;
  if (result.failed && result.exitCode === undefined) log.write(`\n${command} ${args[0]}: ${result.shortMessage}\n`);
  await new Promise((resolve) => log.end(resolve));
  return result.exitCode === 0;
}

/** `healthcheck.Test` → argv: ["CMD", …] or ["CMD-SHELL", "…"]; NONE or absent → undefined. */
export function healthcheckArgv(test: string[] | undefined | null): string[] | undefined {
  if (!test?.length) return undefined;
  if (test[0] === 'CMD') return test.slice(1);
  if (test[0] === 'CMD-SHELL') return ['/bin/sh', '-c', test[1]];
  return undefined;
}

/** "127.0.0.1:32768" (or several lines, one per address) → 32768. */
export function parsePublishedPort(output: string): number | undefined {
  const port = /:(\d+)\s*$/m.exec(output.trim().split('\n')[0] ?? '');
  return port ? Number(port[1]) : undefined;
}

function dockerLike(name: 'docker' | 'podman'): Engine {
  return {
    name,
    build: (context, tag, logFile, onStep, options = {}) => {
      const file = options.dockerfile === undefined ? [] : ['-f', '-'];
      return name === 'docker'
        ? // BuildKit, also where the default builder is the legacy one (Docker 20.10: the mounts need it);
          // plain progress, one step a line.
          logged(name, ['build', '-t', tag, ...file, context], logFile, onStep, {
            env: { DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' },
            input: options.dockerfile,
            signal: options.signal,
          })
        : // Podman's default OCI format drops HEALTHCHECK: build in Docker's format.
          logged(name, ['build', '--format', 'docker', '-t', tag, ...file, context], logFile, onStep, {
            input: options.dockerfile,
            signal: options.signal,
          });
    },
    async inspect(tag) {
      const { execa } = await import('execa');
      const { stdout } = await execa(name, ['image', 'inspect', '--format', '{{json .Config}}', tag]);
      const config = JSON.parse(stdout);
      return {
        argv: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
        user: config.User ?? '',
        healthcheck: healthcheckArgv(config.Healthcheck?.Test),
      };
    },
    async start(tag, { name: container, port, healthcheck, signal }) {
      const { execa } = await import('execa');
      // The engine picks a free host port: a dev server already on the app's port is the common case.
      const publish = port ? ['-p', `127.0.0.1::${port}`] : [];
      // The image's steady interval (30 s) is for production. Its --start-interval brings `healthy` within a
      // second on Docker 25+; a short steady interval also does on older engines, and brings `unhealthy` soon.
      const health = healthcheck ? ['--health-interval', '1s'] : [];
      await execa(name, ['run', '-d', '--name', container, ...publish, ...health, tag], {
        stdin: 'ignore',
        ...(signal ? { cancelSignal: signal } : {}),
      });
      const hostPort = port
        ? parsePublishedPort((await execa(name, ['port', container, `${port}/tcp`])).stdout)
        : undefined;
      const state = async () => {
        const r = await execa(name, ['inspect', '--format', '{{json .State}}', container], { reject: false });
        return r.exitCode === 0 ? JSON.parse(r.stdout) : undefined;
      };
      return {
        hostPort,
        alive: async () => (await state())?.Running === true,
        exitCode: async () => {
          const s = await state();
          return s && !s.Running ? Number(s.ExitCode) : undefined;
        },
        health: async () => {
          const h = (await state())?.Health ?? (await state())?.Healthcheck;
          const last = h?.Log?.at(-1);
          return { status: h?.Status ?? '', output: String(last?.Output ?? '').trim() };
        },
        exec: async (argv) => {
          const r = await execa(name, ['exec', container, ...argv], { reject: false, all: true });
          return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
        },
        logs: async () => (await execa(name, ['logs', container], { reject: false, all: true })).all ?? '',
      };
    },
    async removeContainer(container) {
      const { execa } = await import('execa');
      await execa(name, ['rm', '-f', container], { reject: false });
    },
    async removeImage(tag) {
      const { execa } = await import('execa');
      await execa(name, ['rmi', '-f', tag], { reject: false });
    },
    removeSync(container, tag) {
      spawnSync(name, ['rm', '-f', container], { stdio: 'ignore' });
      spawnSync(name, ['rmi', '-f', tag], { stdio: 'ignore' });
    },
  };
}

/** Whether nothing listens on this port of 127.0.0.1. */
const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Ends every process whose root is this container's mount (buildah's `run` leaves them to us). */
function killInside(root: string): void {
  if (!root) return;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/root`) === root) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already, or not ours to read
    }
  }
}

/**
 * buildah. Its build command can be replaced (PYTHON_DOCKER_BUILDAH_BUILD=<command CONTEXT TAG>)
 * by one that serves base images offline, as the test suite does with ../shared/buildbox/build.
 */
function buildah(): Engine {
  const apps = new Map<string, ResultPromise>();
  return {
    name: 'buildah',
    build(context, tag, logFile, onStep, options = {}) {
      const custom = process.env.PYTHON_DOCKER_BUILDAH_BUILD;
      const file = options.dockerfile === undefined ? [] : ['-f', '/dev/stdin'];
      return custom
        ? logged(custom, [context, tag, ...file], logFile, onStep, {
            input: options.dockerfile,
            signal: options.signal,
          })
        : logged('buildah', ['bud', '--layers', '--format', 'docker', '-t', tag, ...file, context], logFile, onStep, {
            input: options.dockerfile,
            signal: options.signal,
          });
    },
    async inspect(tag) {
      const { execa } = await import('execa');
      const { stdout } = await execa('buildah', ['inspect', '--type', 'image', tag]);
      const config = JSON.parse(stdout).Docker.config;
      return {
        argv: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
        user: config.User ?? '',
        healthcheck: healthcheckArgv(config.Healthcheck?.Test),
      };
    },
    async start(tag, { name: container, port, signal }) {
      const { execa } = await import('execa');
      // Host network: the app's port is this machine's port, so it must be free.
      if (port && !(await portFree(port))) {
        throw new Error(
          `port ${port} is already in use on this machine (buildah runs the app on the host network); ` +
            'stop what uses it or choose another --port',
        );
      }
      await execa('buildah', ['from', '--pull=never', '--name', container, tag], {
        ...(signal ? { cancelSignal: signal } : {}),
      });
      const { argv } = await this.inspect(tag);
      let output = '';
      const app: ResultPromise = execa(
        'buildah',
        ['run', '--isolation', 'chroot', '--network', 'host', container, '--', ...argv],
        {
          reject: false,
          all: true,
          buffer: false,
          stdin: 'ignore',
        },
      );
      apps.set(container, app);
      app.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      let exited: number | undefined;
      void app.then((r) => (exited = r.exitCode ?? -1));
      return {
        hostPort: port,
        alive: async () => exited === undefined,
        exitCode: async () => exited,
        exec: async (cmd) => {
          const r = await execa(
            'buildah',
            ['run', '--isolation', 'chroot', '--network', 'host', container, '--', ...cmd],
            { reject: false, all: true },
          );
          return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
        },
        logs: async () => output,
      };
    },
    async removeContainer(container) {
      const { execa } = await import('execa');
      const app = apps.get(container);
      if (app) {
        app.kill('SIGTERM');
        await Promise.race([app, new Promise((r) => setTimeout(r, 5000))]);
      }
      killInside((await execa('buildah', ['mount', container], { reject: false })).stdout.trim());
      await execa('buildah', ['umount', container], { reject: false });
      await execa('buildah', ['rm', container], { reject: false });
    },
    async removeImage(tag) {
      const { execa } = await import('execa');
      await execa('buildah', ['rmi', '-f', tag], { reject: false });
    },
    removeSync(container, tag) {
      apps.get(container)?.kill('SIGKILL');
      killInside(spawnSync('buildah', ['mount', container], { encoding: 'utf8' }).stdout?.trim() ?? '');
      spawnSync('buildah', ['umount', container], { stdio: 'ignore' });
      spawnSync('buildah', ['rm', container], { stdio: 'ignore' });
      spawnSync('buildah', ['rmi', '-f', tag], { stdio: 'ignore' });
    },
  };
}

/** What a command did: its exit code and output, or that it is not installed. */
export interface ProbeResult {
  missing?: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Probe = (command: string, args: string[]) => Promise<ProbeResult>;

const runProbe: Probe = async (command, args) => {
  const { execa } = await import('execa');
  const r = await execa(command, args, { reject: false, timeout: 15_000, stdin: 'ignore' });
  return {
    missing: (r as { code?: string }).code === 'ENOENT',
    exitCode: r.exitCode ?? -1,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
  };
};

/**
 * Questions only a working engine answers: the daemon's (or Podman's, buildah's
 * storage's) own data. A client alone answers nothing here — and Docker CLIs
 * 26 and 28 can exit 0 from `info --format` with the daemon unreachable, so the
 * answer must also be non-empty.
 */
export const ENGINE_PROBES: Record<EngineName, [string, string[]]> = {
  docker: ['docker', ['version', '--format', '{{.Server.Version}}']],
  podman: ['podman', ['info', '--format', '{{.Store.GraphRoot}}']],
  buildah: ['buildah', ['info', '--format', '{{.store.GraphRoot}}']],
};

/** Why this engine cannot be used, from its probe; undefined when it can. */
export function whyUnusable(name: EngineName, r: ProbeResult): string | undefined {
  if (r.missing) return 'not installed';
  const said = `${r.stderr}\n${r.stdout}`;
  const first =
    said
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? '';
  if (/permission denied/i.test(said)) {
    return name === 'docker'
      ? `no permission to use its socket (add your user to the "docker" group, or use rootless Docker): ${first}`
      : `no permission: ${first}`;
  }
  if (
    /cannot connect|is the docker daemon running|connection refused|no such file or directory|unable to connect/i.test(
      said,
    )
  ) {
    return `${name === 'podman' ? 'its service' : 'the daemon'} is not running: ${first}`;
  }
  if (r.exitCode !== 0) return `it failed (exit ${r.exitCode})${first ? `: ${first}` : ''}`;
  if (!r.stdout.trim()) return `${name === 'buildah' ? 'it' : 'the daemon'} did not answer${first ? `: ${first}` : ''}`;
  return undefined;
}

export function engineFor(name: EngineName): Engine {
  return name === 'buildah' ? buildah() : dockerLike(name);
}

export interface FoundEngine {
  engine?: Engine;
  /** Engines that are installed but cannot work here, and why. */
  unusable: { name: EngineName; reason: string }[];
  /** The Docker daemon the user configured (DOCKER_HOST, a context), not answering: no other engine stands in. */
  configured?: string;
}

/** The Docker daemon the user chose, if any: DOCKER_HOST, DOCKER_CONTEXT, or a current context other than `default`. */
async function configuredDocker(probe: Probe, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.DOCKER_HOST) return `DOCKER_HOST=${env.DOCKER_HOST}`;
  if (env.DOCKER_CONTEXT && env.DOCKER_CONTEXT !== 'default') return `DOCKER_CONTEXT=${env.DOCKER_CONTEXT}`;
  const context = (await probe('docker', ['context', 'show']).catch(() => undefined))?.stdout.trim();
  return context && context !== 'default' ? `the current context, ${context}` : undefined;
}

/** The first engine that works, in the order docker, podman, buildah (or only the one wanted). */
export async function findEngine(
  wanted?: EngineName,
  probe: Probe = runProbe,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FoundEngine> {
  const unusable: FoundEngine['unusable'] = [];
  for (const name of wanted ? [wanted] : ENGINE_NAMES) {
    const [command, args] = ENGINE_PROBES[name];
    const reason = whyUnusable(
      name,
      await probe(command, args).catch((e: Error) => ({ exitCode: -1, stdout: '', stderr: e.message })),
    );
    if (!reason) return { engine: engineFor(name), unusable };
    if (reason !== 'not installed' || wanted) unusable.push({ name, reason });
    // The engine the user has is the engine verified: a configured daemon that is down is not swapped for another.
    if (name === 'docker' && !wanted && reason !== 'not installed') {
      const configured = await configuredDocker(probe, env);
      if (configured) return { unusable, configured };
    }
  }
  return { unusable };
}
