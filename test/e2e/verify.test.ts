/**
 * `python-docker --verify` builds, starts and checks the image itself, on Docker
 * (a real Engine: health by Docker's own status, an engine-picked host port,
 * the offline `# syntax=` fallback) and on buildah (its build command swapped,
 * through PYTHON_DOCKER_BUILDAH_BUILD, for buildbox's, which serves base images
 * offline). Whatever way a run ends, no container or image of its is left.
 */
import { cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { imageName } from '../../lib/project-files.js';
import { repoRoot } from '../helpers/dockerfile.js';
import { CLI, makeProject } from '../helpers/project.js';
import { BUILDBOX, dockerEngine, engines, freePort, type Engine } from './engine.js';

const APPS = join(repoRoot, 'test', 'fixtures', 'apps');
const YO = join(repoRoot, 'test', 'e2e', 'run-generator.mjs');
const envFor = (on: Engine): Record<string, string> =>
  on.name === 'buildbox' ? { PYTHON_DOCKER_BUILDAH_BUILD: join(BUILDBOX, 'build') } : {};
const engineFlag = (on: Engine) => ['--engine', on.name === 'buildbox' ? 'buildah' : 'docker'];

function app(name: string): string {
  const dir = makeProject({}, `verify-${name}-`);
  cpSync(join(APPS, name), dir, { recursive: true });
  return dir;
}

function verify(on: Engine, dir: string, args: string[], env: Record<string, string> = {}) {
  return execa('node', [CLI, '--yes', '--verify', ...engineFlag(on), ...args], {
    cwd: dir,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { ...envFor(on), ...env },
  });
}

/** The run's test containers and images still there (none may be, however it ended). */
async function leftovers(on: Engine, dir: string): Promise<string[]> {
  const prefix = `${imageName(dir)}-verify`;
  const lists =
    on.name === 'buildbox'
      ? [
          await execa('buildah', ['images', '--format', '{{.Name}}']),
          await execa('buildah', ['containers', '--format', '{{.ContainerName}}']),
        ]
      : [
          await execa('docker', ['images', '--format', '{{.Repository}}']),
          await execa('docker', ['ps', '-a', '--format', '{{.Names}}']),
        ];
  return lists.flatMap((l) => l.stdout.split('\n')).filter((n) => n.split('/').at(-1)!.startsWith(prefix));
}

const healthy = (on: Engine) =>
  on.name === 'docker' ? '✔ healthcheck passes — docker reports healthy' : '✔ healthcheck passes — exit 0';

describe.each(engines.map((on) => ({ on, name: on.name })))('--verify ($name)', ({ on }) => {
  it.each(
    [
      { name: 'fastapi', args: ['--framework', 'fastapi', '--entrypoint', 'main:app'] },
      { name: 'flask', args: ['--framework', 'flask', '--entrypoint', 'app:create_app()'] },
      { name: 'django', args: ['--framework', 'django', '--entrypoint', 'mysite'] },
    ].filter((a) => on.name === 'docker' || a.name === 'fastapi'),
  )('$name: builds, answers, is healthy and runs as non-root; cleans up', async ({ name, args }) => {
    const dir = app(name);
    const run = await verify(on, dir, [...args, '--port', String(freePort())]);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toMatch(/^ {2}step \d+\/\d+: /m); // progress, step by step
    // A passing verify removes its log: no path named.
    expect(run.all).toMatch(
      new RegExp(
        `^✔ builds — [\\d.]+ s with ${on.name === 'docker' ? 'docker' : 'buildah'}( \\(built-in frontend: .*\\))?$`,
        'm',
      ),
    );
    expect(run.all).toMatch(/^✔ answers on port \d+ — HTTP 200 on http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(run.all).toContain(healthy(on));
    expect(run.all).toContain('✔ runs as a non-root user — UID 10001');
    expect(await leftovers(on, dir)).toEqual([]);
  });

  it('worker: starts and runs as non-root; no HTTP checks; cleans up', async () => {
    const dir = app('worker');
    const run = await verify(on, dir, ['--framework', 'none', '--entrypoint', 'worker.py']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toMatch(/^✔ starts — (ran and exited with code 0|still running after 3 s)$/m);
    expect(run.all).toContain('✔ healthcheck — none (not a web app)');
    expect(run.all).toMatch(/✔ runs as a non-root user — UID 10001/);
    expect(await leftovers(on, dir)).toEqual([]);
  });

  it('a worker that exits non-zero at once: ✖ starts, its output, exit 1; cleans up', async () => {
    const dir = makeProject({ 'worker.py': 'raise SystemExit("boom: no queue configured")\n' }, 'verify-badworker-');
    const run = await verify(on, dir, ['--framework', 'none', '--entrypoint', 'worker.py']);
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toMatch(/^✖ starts — exited with code 1 within 3 s$/m);
    expect(run.all).toContain('boom: no queue configured');
    expect(await leftovers(on, dir)).toEqual([]);
  });
});

const docker = dockerEngine;
describe.skipIf(!docker)(
  '--verify on Docker: failures, a busy port, the legacy builder, offline, signals (docker)',
  () => {
    const on = docker!;

    it('a failing build: ✖, the log tail, exit 1; no image left', async () => {
      const dir = makeProject(
        { 'requirements.txt': 'no-such-package-anywhere==1.0\n', 'main.py': 'app = None\n' },
        'verify-broken-',
      );
      const run = await verify(on, dir, ['--framework', 'fastapi']);
      expect(run.exitCode).toBe(1);
      expect(run.all).toMatch(/^✖ builds — /m);
      expect(run.all).toContain('Last lines of the build log:');
      expect(run.all).toContain('no-such-package-anywhere');
      expect(await leftovers(on, dir)).toEqual([]);
    });

    it('an app that crashes at start: ✖ on the port check, the app output, exit 1; no container left', async () => {
      const dir = makeProject(
        { 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'raise SystemExit("boom: missing configuration")\n' },
        'verify-crash-',
      );
      const run = await verify(on, dir, ['--framework', 'fastapi', '--port', String(freePort())]);
      expect(run.exitCode).toBe(1);
      expect(run.all).toMatch(/^✔ builds/m);
      expect(run.all).toMatch(/^✖ answers on port \d+ — the app exited$/m);
      expect(run.all).toContain('boom: missing configuration');
      expect(await leftovers(on, dir)).toEqual([]);
    });

    it("the app's port already taken on this machine: published on another host port the engine picks, and said which", async () => {
      const port = freePort();
      const busy = createServer().listen(port, '127.0.0.1');
      try {
        const dir = app('fastapi');
        const run = await verify(on, dir, [
          '--framework',
          'fastapi',
          '--entrypoint',
          'main:app',
          '--port',
          String(port),
        ]);
        expect(run.exitCode, run.all).toBe(0);
        const published = new RegExp(
          `^✔ answers on port ${port} — HTTP 200 on http://127\\.0\\.0\\.1:(\\d+)/$`,
          'm',
        ).exec(run.all ?? '');
        expect(published, run.all).not.toBeNull();
        expect(Number(published![1])).not.toBe(port);
        expect(run.all).not.toMatch(/\n\s+at /);
      } finally {
        busy.close();
      }
    });

    it('where the default builder is the legacy one (DOCKER_BUILDKIT=0), the BuildKit Dockerfile still builds', async () => {
      const dir = app('fastapi');
      const run = await verify(
        on,
        dir,
        ['--framework', 'fastapi', '--entrypoint', 'main:app', '--port', String(freePort())],
        { DOCKER_BUILDKIT: '0' },
      );
      expect(run.exitCode, run.all).toBe(0);
      expect(run.all).not.toContain('requires BuildKit');
    });

    it('the # syntax= frontend: used when it can be fetched, else said in one line and the built-in frontend used', async () => {
      const reachable =
        (await execa('docker', ['pull', '-q', 'docker/dockerfile:1'], { reject: false, timeout: 60_000 })).exitCode ===
        0;
      const dir = app('fastapi');
      const run = await verify(on, dir, [
        '--framework',
        'fastapi',
        '--entrypoint',
        'main:app',
        '--port',
        String(freePort()),
      ]);
      expect(run.exitCode, run.all).toBe(0);
      const notice =
        /^The Dockerfile's frontend \(# syntax=docker\/dockerfile:1\) cannot be fetched \(offline, or no registry access\): building again with docker's built-in frontend, the same file without that line on standard input\.$/m;
      if (reachable) {
        expect(run.all).not.toMatch(notice);
      } else {
        expect(run.all).toMatch(notice);
        expect(run.all).toMatch(
          /^✔ builds — [\d.]+ s with docker \(built-in frontend: docker\/dockerfile:1 could not be fetched\)$/m,
        );
      }
    });

    /** Starts a run whose app never answers, waits until its container is up, sends the signal. */
    async function interrupted(frontEnd: 'python-docker' | 'yo', signal: 'SIGINT' | 'SIGTERM') {
      const dir = makeProject(
        { 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'import time\n\ntime.sleep(600)\napp = None\n' },
        `verify-signal-${frontEnd}-`,
      );
      const args = [
        '--yes',
        '--verify',
        '--engine',
        'docker',
        '--framework',
        'fastapi',
        '--entrypoint',
        'main:app',
        '--port',
        String(freePort()),
      ];
      const child = execa('node', [frontEnd === 'yo' ? YO : CLI, ...args], {
        cwd: dir,
        reject: false,
        all: true,
        stdin: 'ignore',
      });
      const prefix = `${imageName(dir)}-verify-`;
      for (let i = 0; i < 600; i++) {
        const running = (await execa('docker', ['ps', '--filter', `name=${prefix}`, '--format', '{{.Names}}'])).stdout;
        if (running.trim()) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect((await execa('docker', ['ps', '--format', '{{.Names}}'])).stdout).toContain(prefix);
      child.kill(signal);
      const run = await child;
      return { run, dir };
    }

    it.each([
      { frontEnd: 'python-docker', signal: 'SIGINT', code: 130 },
      { frontEnd: 'python-docker', signal: 'SIGTERM', code: 143 },
      { frontEnd: 'yo', signal: 'SIGINT', code: 130 },
      { frontEnd: 'yo', signal: 'SIGTERM', code: 143 },
    ] as const)(
      '$frontEnd: $signal while the container runs: container and image removed, exit $code',
      async ({ frontEnd, signal, code }) => {
        const { run, dir } = await interrupted(frontEnd, signal);
        expect(run.exitCode, run.all).toBe(code);
        expect(run.all).toContain(`Interrupted (${signal}): removing the test container and image…`);
        expect(run.all).not.toMatch(/\n\s+at /);
        expect(await leftovers(on, dir)).toEqual([]);
      },
    );
  },
);
