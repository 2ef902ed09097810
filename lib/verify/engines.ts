/**
 * Container engines `--verify` can build and run with: Docker, Podman (same
 * CLI), or buildah (no daemon; containers run with chroot isolation on the
 * host network, as ../shared/buildbox does).
 */
import { createWriteStream, readdirSync, readlinkSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';

import { ENGINE_NAMES, type BuildProgress, type EngineName } from './engine-names.js';

export { ENGINE_NAMES, type BuildProgress, type EngineName };

export interface Running {
  /** Whether the app process is still up. */
  alive(): Promise<boolean>;
  /** Runs a command inside the running container (as the image's user). */
  exec(argv: string[]): Promise<{ exitCode: number; output: string }>;
  /** Stops and removes the container. */
  stop(): Promise<void>;
  /** What the app printed. */
  logs(): Promise<string>;
}

export interface Engine {
  name: EngineName;
  build(context: string, tag: string, logFile: string, onStep: (p: BuildProgress) => void): Promise<boolean>;
  /** The image's config: its argv, user and healthcheck test. */
  inspect(tag: string): Promise<{ argv: string[]; user: string; healthcheck?: string[] }>;
  start(tag: string, port: number | undefined): Promise<Running>;
  removeImage(tag: string): Promise<void>;
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
  env: Record<string, string> = {},
): Promise<boolean> {
  const log = createWriteStream(logFile);
  const child = execa(command, args, { reject: false, all: true, buffer: false, env });
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

function dockerLike(name: 'docker' | 'podman'): Engine {
  return {
    name,
    build: (context, tag, logFile, onStep) =>
      name === 'docker'
        ? // Plain progress, one step a line, from BuildKit; the legacy builder ignores the variable (and would refuse --progress).
          logged(name, ['build', '-t', tag, context], logFile, onStep, { BUILDKIT_PROGRESS: 'plain' })
        : // Podman's default OCI format drops HEALTHCHECK: build in Docker's format.
          logged(name, ['build', '--format', 'docker', '-t', tag, context], logFile, onStep),
    async inspect(tag) {
      const { stdout } = await execa(name, ['image', 'inspect', '--format', '{{json .Config}}', tag]);
      const config = JSON.parse(stdout);
      return {
        argv: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
        user: config.User ?? '',
        healthcheck: healthcheckArgv(config.Healthcheck?.Test),
      };
    },
    async start(tag, port) {
      const publish = port ? ['-p', `127.0.0.1:${port}:${port}`] : [];
      const { stdout } = await execa(name, ['run', '-d', ...publish, tag]);
      const id = stdout.trim();
      return {
        alive: async () => (await execa(name, ['inspect', '--format', '{{.State.Running}}', id], { reject: false })).stdout.trim() === 'true',
        exec: async (argv) => {
          const r = await execa(name, ['exec', id, ...argv], { reject: false, all: true });
          return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
        },
        logs: async () => (await execa(name, ['logs', id], { reject: false, all: true })).all ?? '',
        stop: async () => {
          await execa(name, ['rm', '-f', id], { reject: false });
        },
      };
    },
    async removeImage(tag) {
      await execa(name, ['rmi', '-f', tag], { reject: false });
    },
  };
}

/**
 * buildah. Its build command can be replaced (PYTHON_DOCKER_BUILDAH_BUILD=<command CONTEXT TAG>)
 * by one that serves base images offline, as the test suite does with ../shared/buildbox/build.
 */
function buildah(): Engine {
  return {
    name: 'buildah',
    build(context, tag, logFile, onStep) {
      const custom = process.env.PYTHON_DOCKER_BUILDAH_BUILD;
      return custom
        ? logged(custom, [context, tag], logFile, onStep)
        : logged('buildah', ['bud', '--layers', '--format', 'docker', '-t', tag, context], logFile, onStep);
    },
    async inspect(tag) {
      const { stdout } = await execa('buildah', ['inspect', '--type', 'image', tag]);
      const config = JSON.parse(stdout).Docker.config;
      return {
        argv: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
        user: config.User ?? '',
        healthcheck: healthcheckArgv(config.Healthcheck?.Test),
      };
    },
    async start(tag) {
      const ctr = (await execa('buildah', ['from', '--pull=never', tag])).stdout.trim();
      const { argv } = await this.inspect(tag);
      let output = '';
      // Host network: the app's port is this machine's port.
      const app: ResultPromise = execa('buildah', ['run', '--isolation', 'chroot', '--network', 'host', ctr, '--', ...argv], {
        reject: false,
        all: true,
        buffer: false,
      });
      app.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      let exited = false;
      void app.then(() => (exited = true));
      return {
        alive: async () => !exited,
        exec: async (cmd) => {
          const r = await execa('buildah', ['run', '--isolation', 'chroot', '--network', 'host', ctr, '--', ...cmd], { reject: false, all: true });
          return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
        },
        logs: async () => output,
        stop: async () => {
          app.kill('SIGTERM');
          await Promise.race([app, new Promise((r) => setTimeout(r, 5000))]);
          // The app runs inside the container's root: end whatever is left there.
          const root = (await execa('buildah', ['mount', ctr], { reject: false })).stdout.trim();
          if (root) {
            for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
              try {
                if (readlinkSync(`/proc/${pid}/root`) === root) process.kill(Number(pid), 'SIGKILL');
              } catch {
                // gone already, or not ours to read
              }
            }
          }
          await execa('buildah', ['umount', ctr], { reject: false });
          await execa('buildah', ['rm', ctr], { reject: false });
        },
      };
    },
    async removeImage(tag) {
      await execa('buildah', ['rmi', '-f', tag], { reject: false });
    },
  };
}

/** Whether a command runs and exits 0 (a missing command, or a client without its daemon, does not). */
export type Probe = (command: string, args: string[]) => Promise<boolean>;

const runs: Probe = async (command, args) =>
  (await execa(command, args, { reject: false, timeout: 15_000 }).catch(() => ({ exitCode: 1 }))).exitCode === 0;

/** What shows an engine can work: Docker's and Podman's `info` need the daemon or service, not just the client. */
export const ENGINE_PROBES: Record<EngineName, [string, string[]]> = {
  docker: ['docker', ['info', '--format', '{{.ServerVersion}}']],
  podman: ['podman', ['info', '--format', '{{.Host.Arch}}']],
  buildah: ['buildah', ['--version']],
};

/** The first engine that answers, in the order docker, podman, buildah (or only the one wanted). */
export async function findEngine(wanted?: EngineName, probe: Probe = runs): Promise<Engine | undefined> {
  for (const name of wanted ? [wanted] : ENGINE_NAMES) {
    if (await probe(...ENGINE_PROBES[name])) return name === 'buildah' ? buildah() : dockerLike(name);
  }
  return undefined;
}
