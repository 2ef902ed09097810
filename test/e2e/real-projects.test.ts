/**
 * Projects in the shapes public ones have (test/fixtures/real), generated with
 * `--yes` and nothing else, built and run: the app object detection found is the
 * one the server loads (HTTP 200, healthy, UID 10001). Only those whose
 * dependencies the local package index has; the lock-file shapes are checked
 * statically in test/generator/real-projects.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureCopy } from '../helpers/fixtures.js';
import { runCli } from '../helpers/project.js';
import { buildAndProbe, engine, expectHealthy, freePort, type RunReport } from './engine.js';

const tags: string[] = [];
afterAll(async () => {
  for (const tag of tags) await engine?.remove(tag);
});

interface Case {
  /** The port the generated CMD listens on (as detected). */
  port: number;
  /** Our Dockerfile, when the project's own is kept. */
  dockerfile?: string;
}

const CASES: Record<string, Case> = {
  'monorepo/services/api': { port: 8000 },
  'monorepo/services/web': { port: 5000 },
  'django-app-folder': { port: 8000 },
  'flask-procfile': { port: 5005 },
  flaskenv: { port: 8000 },
  'existing-dockerfile': { port: 5000, dockerfile: 'Dockerfile.new' },
  'compose-command': { port: 8080 },
  'committed-venv': { port: 8000 },
};

/** Host ports for this file's containers: the detected container port is published on one of these. */
let nextHostPort = 25_000 + (process.pid % 90) * 10;

/** With Docker: build (the given Dockerfile, without its `# syntax=` line, which needs a registry) and probe on a host port of ours. */
async function dockerBuildAndProbe(dir: string, tag: string, dockerfile: string, containerPort: number): Promise<RunReport> {
  const text = readFileSync(join(dir, dockerfile), 'utf8').replace(/^# syntax=.*\n/, '');
  const built = await execa('docker', ['build', '-f', '-', '-t', tag, dir], { input: text, reject: false, all: true });
  if (built.exitCode !== 0) throw new Error(`build of ${tag} failed:\n${(built.all ?? '').slice(-3000)}`);
  const hostPort = nextHostPort++;
  const id = (await execa('docker', ['run', '-d', '-p', `127.0.0.1:${hostPort}:${containerPort}`, tag])).stdout.trim();
  try {
    let http = 0;
    for (let i = 0; i < 300 && http === 0; i++) {
      http = await fetch(`http://127.0.0.1:${hostPort}/`).then(
        (r) => r.status,
        () => 0,
      );
      if (http === 0) await new Promise((r) => setTimeout(r, 200));
    }
    const uid = (await execa('docker', ['exec', id, 'id', '-u'], { reject: false })).stdout.trim();
    const test: string[] = JSON.parse((await execa('docker', ['inspect', '--format', '{{json .Config.Healthcheck.Test}}', id])).stdout) ?? [];
    const argv = test[0] === 'CMD' ? test.slice(1) : ['/bin/sh', '-c', test[1] ?? 'exit 1'];
    const healthcheck = String((await execa('docker', ['exec', id, ...argv], { reject: false })).exitCode);
    const log = (await execa('docker', ['logs', id], { reject: false, all: true })).all ?? '';
    return { http, uid, healthcheck, log };
  } finally {
    await execa('docker', ['rm', '-f', id], { reject: false });
  }
}

describe.skipIf(!engine)(`real project shapes generated with --yes build and answer (${engine?.name})`, () => {
  it.each(Object.entries(CASES))('%s', async (name, { port, dockerfile = 'Dockerfile' }) => {
    const dir = fixtureCopy('real', name);
    const tag = `python-docker-detect-${name.replace(/\W+/g, '-')}:test`;
    tags.push(tag);
    if (engine!.name === 'docker') {
      const generated = await runCli(dir, ['--yes']);
      expect(generated.exitCode, generated.stderr).toBe(0);
      expect(readFileSync(join(dir, dockerfile), 'utf8')).toContain(`EXPOSE ${port}`);
      expectHealthy(await dockerBuildAndProbe(dir, tag, dockerfile, port));
    } else {
      // buildbox runs on the host network: the container port is the host port, so it is chosen here.
      const hostPort = freePort();
      const generated = await runCli(dir, ['--yes', '--port', String(hostPort)]);
      expect(generated.exitCode, generated.stderr).toBe(0);
      if (dockerfile !== 'Dockerfile') await execa('cp', [join(dir, dockerfile), join(dir, 'Dockerfile')]);
      expectHealthy(await buildAndProbe(dir, tag, hostPort));
    }
  });
});
