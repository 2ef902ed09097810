/**
 * Builds and runs images for the e2e suite: with Docker when an engine
 * answers, else with ../shared/buildbox (buildah, no daemon) when it is set up.
 * `engine.skipReason` says plainly why there is neither.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';

export interface RunReport {
  /** HTTP status from the app's port, 0 when nothing answered. */
  http: number;
  uid: string;
  /** Exit code of the image's HEALTHCHECK command, or 'none'. */
  healthcheck: string;
  log: string;
}

export interface Engine {
  name: string;
  build(context: string, tag: string): Promise<{ log: string; ok: boolean }>;
  /** Starts the image's CMD, waits for HTTP on the port, runs its HEALTHCHECK, stops it. */
  runWeb(tag: string, port: number, path: string): Promise<RunReport>;
  /** Runs the image's CMD to completion (a worker) and returns its exit code and output. */
  runToEnd(tag: string): Promise<{ exitCode: number; output: string }>;
  /** Whether the dependency-install step (`pip install`) came from the cache in this build log. */
  installStepCached(log: string): boolean;
  remove(tag: string): Promise<void>;
}

export const BUILDBOX = process.env.BUILDBOX_DIR ?? join(repoRoot, '..', 'shared', 'buildbox');

const buildbox: Engine = {
  name: 'buildbox',
  async build(context, tag) {
    const r = await execa(join(BUILDBOX, 'build'), [context, tag], { reject: false, all: true });
    return { log: r.all ?? '', ok: r.exitCode === 0 };
  },
  async runWeb(tag, port, path) {
    const r = await execa(join(BUILDBOX, 'run'), [tag, String(port), path, '60'], { reject: false, all: true });
    const out = r.all ?? '';
    const field = (name: string) => new RegExp(`^${name} (\\S+)`, 'm').exec(out)?.[1] ?? '';
    return { http: Number(field('http')), uid: field('user'), healthcheck: field('healthcheck'), log: out };
  },
  async runToEnd(tag) {
    const inspect = JSON.parse((await execa('buildah', ['inspect', '--type', 'image', tag])).stdout);
    const config = inspect.Docker.config;
    const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    const ctr = (await execa('buildah', ['from', '--pull=never', tag])).stdout.trim();
    try {
      const r = await execa('buildah', ['run', '--isolation', 'chroot', '--network', 'host', ctr, '--', ...argv], { reject: false, all: true, timeout: 120_000 });
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

const docker: Engine = {
  name: 'docker',
  async build(context, tag) {
    const r = await execa('docker', ['build', '-t', tag, context], { reject: false, all: true, env: { BUILDKIT_PROGRESS: 'plain' } });
    return { log: r.all ?? '', ok: r.exitCode === 0 };
  },
  async runWeb(tag, port, path) {
    const id = (await execa('docker', ['run', '-d', '-p', `127.0.0.1:${port}:${port}`, tag])).stdout.trim();
    try {
      let http = 0;
      for (let i = 0; i < 300 && http === 0; i++) {
        http = await fetch(`http://127.0.0.1:${port}${path}`).then(
          (r) => r.status,
          () => 0,
        );
        if (http === 0) await new Promise((r) => setTimeout(r, 200));
      }
      const uid = (await execa('docker', ['exec', id, 'id', '-u'], { reject: false })).stdout.trim();
      const test: string[] = JSON.parse((await execa('docker', ['inspect', '--format', '{{json .Config.Healthcheck.Test}}', id])).stdout) ?? [];
      let healthcheck = 'none';
      if (test[0] === 'CMD' || test[0] === 'CMD-SHELL') {
        const argv = test[0] === 'CMD' ? test.slice(1) : ['/bin/sh', '-c', test[1]];
        healthcheck = String((await execa('docker', ['exec', id, ...argv], { reject: false })).exitCode);
      }
      const log = (await execa('docker', ['logs', id], { reject: false, all: true })).all ?? '';
      return { http, uid, healthcheck, log };
    } finally {
      await execa('docker', ['rm', '-f', id], { reject: false });
    }
  },
  async runToEnd(tag) {
    const r = await execa('docker', ['run', '--rm', tag], { reject: false, all: true, timeout: 120_000 });
    return { exitCode: r.exitCode ?? -1, output: r.all ?? '' };
  },
  installStepCached(log) {
    return log.split('\n').some((l) => /pip install/.test(l) && /CACHED/.test(l));
  },
  async remove(tag) {
    await execa('docker', ['rmi', '-f', tag], { reject: false });
  },
};

async function detect(): Promise<{ engine?: Engine; skipReason?: string }> {
  if ((await execa('docker', ['info'], { reject: false, timeout: 20_000 }).catch(() => ({ exitCode: 1 }))).exitCode === 0) {
    return { engine: docker };
  }
  if (!existsSync(join(BUILDBOX, 'build'))) {
    return { skipReason: `no Docker engine answered \`docker info\`, and no buildbox at ${BUILDBOX}` };
  }
  const standin = await execa('buildah', ['inspect', '--type', 'image', 'localhost/buildbox/python:standin'], { reject: false }).catch(() => ({ exitCode: 1 }));
  if (standin.exitCode !== 0) {
    return { skipReason: `no Docker engine answered, and buildbox is not set up: run ${join(BUILDBOX, 'setup')} first` };
  }
  return { engine: buildbox };
}

export const { engine, skipReason } = await detect();

if (!engine) {
  const message = `e2e: skipped: ${skipReason}`;
  // CI must build for real: a skip there is a failure.
  if (process.env.CI) throw new Error(`${message} (CI=${process.env.CI}, so this is an error)`);
  console.warn(message);
}

/** Ports for apps under test: buildbox runs them on the host network, so each gets its own. */
let nextPort = 18_000 + (process.pid % 1000) * 10;
export function freePort(): number {
  return nextPort++;
}

/** Builds the project and probes the running image: the checks every web e2e test makes. */
export async function buildAndProbe(dir: string, tag: string, port: number): Promise<RunReport> {
  const built = await engine!.build(dir, tag);
  if (!built.ok) throw new Error(`build of ${tag} failed:\n${built.log.slice(-3000)}`);
  return engine!.runWeb(tag, port, '/');
}

/** HTTP 200 as UID 10001 with a passing healthcheck. */
export function expectHealthy(report: RunReport): void {
  expect(report.http, report.log).toBe(200);
  expect(report.uid).toBe('10001');
  expect(report.healthcheck).toBe('0');
}
