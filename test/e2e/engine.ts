/**
 * Builds and runs images for the e2e suite on both engines users have: Docker
 * (a real Engine with BuildKit: ../shared/dockerbox here) and buildah
 * (../shared/buildbox, no daemon). `engines` lists those that answer; under CI
 * both must, and a missing one is an error, not a skip.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { forBuildah } from '../helpers/builders.js';
import { repoRoot } from '../helpers/dockerfile.js';

export interface RunReport {
  /** HTTP status from the app's port, 0 when nothing answered. */
  http: number;
  uid: string;
  /** Docker: the engine's own health status (`healthy`…); buildah: the HEALTHCHECK command's exit code, or 'none'. */
  health: string;
  log: string;
}

export interface BuildOptions {
  /** For RUN steps that need Debian's mirror (apt in a compiler stage): the build's containers use the host's network. */
  hostNetwork?: boolean;
}

export interface Engine {
  name: 'docker' | 'buildbox';
  build(context: string, tag: string, options?: BuildOptions): Promise<{ log: string; ok: boolean }>;
  /** Starts the image's CMD, waits for HTTP on the port and for its health verdict, stops it. */
  runWeb(tag: string, port: number, path: string): Promise<RunReport>;
  /** Runs the image's CMD to completion (a worker) and returns its exit code and output. */
  runToEnd(tag: string): Promise<{ exitCode: number; output: string }>;
  /** Whether the dependency-install step (`pip install`) came from the cache in this build log. */
  installStepCached(log: string): boolean;
  remove(tag: string): Promise<void>;
}

export const BUILDBOX = process.env.BUILDBOX_DIR ?? join(repoRoot, '..', 'shared', 'buildbox');
export const DOCKERBOX = join(repoRoot, '..', 'shared', 'dockerbox');

/**
 * buildbox's build of the project's Dockerfile as `--engine buildah` renders it (its buildah, 1.28, refuses
 * HEALTHCHECK --start-interval): the suite generates once and builds on both engines.
 */
export function buildboxBuild(context: string, tag: string, extra: string[] = []) {
  const dockerfile = join(mkdtempSync(join(tmpdir(), 'buildbox-')), 'Dockerfile');
  writeFileSync(dockerfile, forBuildah(readFileSync(join(context, 'Dockerfile'), 'utf8')));
  return execa(join(BUILDBOX, 'build'), [context, tag, '-f', dockerfile, ...extra], { reject: false, all: true });
}

const buildbox: Engine = {
  name: 'buildbox',
  async build(context, tag) {
    const r = await buildboxBuild(context, tag);
    return { log: r.all ?? '', ok: r.exitCode === 0 };
  },
  async runWeb(tag, port, path) {
    const r = await execa(join(BUILDBOX, 'run'), [tag, String(port), path, '60'], { reject: false, all: true });
    const out = r.all ?? '';
    const field = (name: string) => new RegExp(`^${name} (\\S+)`, 'm').exec(out)?.[1] ?? '';
    return { http: Number(field('http')), uid: field('user'), health: field('healthcheck'), log: out };
  },
  async runToEnd(tag) {
    const inspect = JSON.parse((await execa('buildah', ['inspect', '--type', 'image', tag])).stdout);
    const config = inspect.Docker.config;
    const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    const ctr = (await execa('buildah', ['from', '--pull=never', tag])).stdout.trim();
    try {
      const r = await execa('buildah', ['run', '--isolation', 'chroot', '--network', 'host', ctr, '--', ...argv], {
        reject: false,
        all: true,
        timeout: 120_000,
      });
      return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
    } finally {
      await execa('buildah', ['rm', ctr], { reject: false });
    }
  },
  installStepCached(log) {
    // buildah prints "STEP n/m: RUN … pip install …" and, for a cached step, "--> Using cache" next.
    const lines = log.split('\n');
    const step = lines.findIndex((l) => /^STEP \d+\/\d+: RUN .*pip install/.test(l));
    return step >= 0 && lines.slice(step + 1, step + 3).some((l) => l.startsWith('--> Using cache'));
  },
  async remove(tag) {
    await execa('buildah', ['rmi', '-f', tag], { reject: false });
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Dockerfile without its `# syntax=` line: that line alone needs a registry, which dockerbox has not. */
export function withoutSyntaxLine(dockerfile: string): string {
  return dockerfile.replace(/^# syntax=.*\n/, '');
}

/** Docker's health status of a container, '' when it has none. */
export async function healthStatus(container: string): Promise<string> {
  const r = await execa(
    'docker',
    ['inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', container],
    { reject: false },
  );
  return r.stdout.trim();
}

/** Waits for Docker's own health verdict (`healthy` or `unhealthy`), up to the given seconds. */
export async function waitForHealth(container: string, seconds = 90): Promise<string> {
  const deadline = Date.now() + seconds * 1000;
  let status = await healthStatus(container);
  while (!['healthy', 'unhealthy', ''].includes(status) && Date.now() < deadline) {
    await sleep(500);
    status = await healthStatus(container);
  }
  return status;
}

/** HTTP status of a GET, 0 while nothing answers; waits up to the given seconds. */
export async function waitForHttp(url: string, seconds = 60): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const status = await fetch(url, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status) return status;
    await sleep(250);
  }
  return 0;
}

let containers = 0;

const docker: Engine = {
  name: 'docker',
  async build(context, tag, options = {}) {
    const dockerfile = withoutSyntaxLine(readFileSync(join(context, 'Dockerfile'), 'utf8'));
    const network = options.hostNetwork ? ['--network', 'host'] : [];
    const r = await execa('docker', ['build', ...network, '-t', tag, '-f', '-', context], {
      reject: false,
      all: true,
      input: dockerfile,
      env: { DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' },
    });
    return { log: r.all ?? '', ok: r.exitCode === 0 };
  },
  async runWeb(tag, port, path) {
    const name = `python-docker-e2e-${process.pid}-${++containers}`;
    // Docker's own health scheduler, with the interval shortened so its verdict comes in seconds.
    await execa('docker', [
      'run',
      '-d',
      '--name',
      name,
      '-p',
      `127.0.0.1:${port}:${port}`,
      '--health-interval',
      '1s',
      tag,
    ]);
    try {
      const http = await waitForHttp(`http://127.0.0.1:${port}${path}`);
      const health = (await waitForHealth(name)) || 'none';
      const uid = (await execa('docker', ['exec', name, 'id', '-u'], { reject: false })).stdout.trim();
      const log = (await execa('docker', ['logs', name], { reject: false, all: true })).all ?? '';
      return { http, uid, health, log };
    } finally {
      await execa('docker', ['rm', '-f', name], { reject: false });
    }
  },
  async runToEnd(tag) {
    const r = await execa('docker', ['run', '--rm', tag], { reject: false, all: true, timeout: 120_000 });
    return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
  },
  installStepCached(log) {
    // BuildKit's plain progress: "#9 [3/5] RUN … pip install …", later "#9 CACHED" for that step.
    const step = log
      .split('\n')
      .find((l) => /^#\d+ \[.*\] RUN .*pip install/.test(l))
      ?.split(' ')[0];
    return Boolean(step) && log.split('\n').includes(`${step} CACHED`);
  },
  async remove(tag) {
    await execa('docker', ['rmi', '-f', tag], { reject: false });
  },
};

async function dockerAnswers(): Promise<boolean> {
  const r = await execa('docker', ['version', '--format', '{{.Server.Version}}'], {
    reject: false,
    timeout: 20_000,
  }).catch(() => undefined);
  return r?.exitCode === 0 && r.stdout.trim() !== '';
}

async function buildboxReady(): Promise<boolean> {
  if (!existsSync(join(BUILDBOX, 'build'))) return false;
  const standin = await execa('buildah', ['inspect', '--type', 'image', 'localhost/buildbox/python:standin'], {
    reject: false,
  }).catch(() => undefined);
  return standin?.exitCode === 0;
}

export const engines: Engine[] = [
  ...((await dockerAnswers()) ? [docker] : []),
  ...((await buildboxReady()) ? [buildbox] : []),
];
/** The primary engine: Docker when it answers, else buildbox. */
export const engine: Engine | undefined = engines[0];
export const dockerEngine = engines.find((e) => e.name === 'docker');
export const buildboxEngine = engines.find((e) => e.name === 'buildbox');

const missing = [
  ...(dockerEngine ? [] : [`no Docker engine answered \`docker version\` (run ${join(DOCKERBOX, 'setup')})`]),
  ...(buildboxEngine ? [] : [`buildbox is not set up at ${BUILDBOX} (run ${join(BUILDBOX, 'setup')})`]),
];
if (missing.length) {
  const message = `e2e: ${engines.length ? 'partly ' : ''}skipped: ${missing.join('; ')}`;
  // CI must build for real, on both engines: a skip there is a failure.
  if (process.env.CI) throw new Error(`${message} (CI=${process.env.CI}, so this is an error)`);
  console.warn(message);
}

/** Ports for apps under test: buildbox runs them on the host network, so each gets its own. */
let nextPort = 21_000 + (process.pid % 90) * 10;
export function freePort(): number {
  return nextPort++;
}

/** Builds the project and probes the running image: the checks every web e2e test makes. */
export async function buildAndProbe(
  on: Engine,
  dir: string,
  tag: string,
  port: number,
  options: BuildOptions = {},
): Promise<RunReport> {
  const built = await on.build(dir, tag, options);
  if (!built.ok) throw new Error(`build of ${tag} failed:\n${built.log.slice(-3000)}`);
  return on.runWeb(tag, port, '/');
}

/** HTTP 200 as UID 10001, healthy by the engine's own status (Docker) or a passing HEALTHCHECK (buildah). */
export function expectHealthy(on: Engine, report: RunReport): void {
  expect(report.http, report.log).toBe(200);
  expect(report.uid).toBe('10001');
  expect(report.health, report.log).toBe(on.name === 'docker' ? 'healthy' : '0');
}
