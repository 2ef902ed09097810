/**
 * Poetry, PDM and Pipenv projects built and run for real, on both engines:
 * ../shared/dockerbox (Docker Engine, BuildKit) and ../shared/buildbox (buildah).
 *
 * For each, the real tool makes the lock file first (scripts/lock-fixture.sh runs it
 * inside the python stand-in). The one adaptation to these machines: the projects
 * name the local package index (the bridge gateway, which buildah's host network
 * reaches too) as their package source, since there is no PyPI here; and the builds
 * pass that index's tool versions through each tool's version build argument.
 *
 * uv cannot install here (its binary comes from ghcr.io/astral-sh/uv, and no
 * registry answers): it builds only where Docker can pull that image, and says why
 * it skipped otherwise. Its Dockerfile's structure is tested in npm test.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { lockedSpec, packageManagerSpec, type LockedManager } from '../../lib/package-managers/index.js';
import { versions } from '../../lib/versions.js';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { BUILDBOX, buildboxBuild } from './engine.js';

const LOCK = join(repoRoot, 'scripts', 'lock-fixture.sh');
/** The tool versions the local index serves (../shared/buildbox/README.md). */
const INDEX_TOOLS: Record<Exclude<LockedManager, 'uv'>, string> = {
  poetry: '2.1.2',
  pdm: '2.20.1',
  pipenv: '2024.0.1',
};
/** Per manager: the fixture, the locked-install command (its step must come from the cache after a source edit), the source file to edit. */
/** Each app listens on a port of its own (buildah runs it on the host network). */
const PROJECTS = {
  poetry: {
    fixture: 'managers/poetry',
    lockedStep: 'poetry install --only main --no-root',
    source: 'shop/main.py',
    port: 22101,
  },
  pdm: {
    fixture: 'managers/pdm',
    lockedStep: 'pdm install --check --prod --no-editable --no-self',
    source: 'board/app.py',
    port: 22102,
  },
  pipenv: { fixture: 'managers/pipenv', lockedStep: 'pipenv verify', source: 'main.py', port: 22103 },
} as const;
/** In every fixture's dev group only: must never reach the image. */
const DEV_ONLY = 'pytest';

const ok = async (cmd: string, args: string[]) =>
  (await execa(cmd, args, { reject: false, timeout: 30_000 }).catch(() => ({ exitCode: 1 }))).exitCode === 0;
const hasDocker = await ok('docker', ['info']);
const hasBuildbox = await ok('buildah', ['inspect', '--type', 'image', 'localhost/buildbox/python:standin']);
const engines = [...(hasDocker ? ['docker'] : []), ...(hasBuildbox ? ['buildah'] : [])] as ('docker' | 'buildah')[];
if (!hasDocker)
  console.warn(
    'e2e package managers: no Docker engine answered `docker info` (run ../shared/dockerbox/setup): Docker builds skipped',
  );
if (!hasBuildbox)
  console.warn(`e2e package managers: buildbox is not set up (run ${join(BUILDBOX, 'setup')}): buildah builds skipped`);
if (process.env.CI && engines.length < 2)
  throw new Error('e2e package managers: CI must build on both Docker and buildah');

/** Host virtualenvs the project has, as real projects do: one by the usual name, one not (env/), with a decoy server. */
function addHostVirtualenvs(dir: string): void {
  for (const venv of ['.venv', 'env']) {
    mkdirSync(join(dir, venv, 'bin'), { recursive: true });
    writeFileSync(join(dir, venv, 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\n');
    for (const tool of ['uvicorn', 'gunicorn', 'python'])
      writeFileSync(join(dir, venv, 'bin', tool), '#!/bin/sh\necho "the host virtualenv ran" >&2\nexit 1\n', {
        mode: 0o755,
      });
  }
}

interface Probe {
  http: number;
  health: string;
  uid: string;
  log: string;
}

/** One engine's build, run and inspect steps, as a user would call them. */
const ENGINE = {
  docker: {
    async build(dir: string, tag: string, buildArgs: string[]) {
      // Docker here has no registry, so the `# syntax=` line goes (../shared/dockerbox/README.md).
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8').replace(/^# syntax=.*\n/, '');
      const r = await execa(
        'docker',
        ['build', '-f', '-', '-t', tag, ...buildArgs.flatMap((a) => ['--build-arg', a]), dir],
        {
          input: dockerfile,
          reject: false,
          all: true,
          env: { BUILDKIT_PROGRESS: 'plain' },
        },
      );
      return { ok: r.exitCode === 0, log: r.all ?? '' };
    },
    /** BuildKit prints `#N [stage i/n] RUN … command` and, for a step from the cache, `#N CACHED`. */
    stepCached(log: string, command: string) {
      const id = log
        .split('\n')
        .find((l) => l.includes(command) && /^#\d+ \[/.test(l))
        ?.match(/^#(\d+) /)?.[1];
      return id !== undefined && log.split('\n').includes(`#${id} CACHED`);
    },
    async probe(tag: string, port: number, path: string): Promise<Probe> {
      const name = `pkgmgr-e2e-${port}`;
      // The image's own HEALTHCHECK command, checked every 2 s instead of 30 s so `healthy` comes soon.
      await execa('docker', [
        'run',
        '-d',
        '--name',
        name,
        '--health-interval',
        '2s',
        '-p',
        `127.0.0.1:${port}:${port}`,
        tag,
      ]);
      try {
        let http = 0;
        let health = '';
        for (let i = 0; i < 120 && (http === 0 || health !== 'healthy'); i++) {
          if (http === 0)
            http = await fetch(`http://127.0.0.1:${port}${path}`).then(
              (r) => r.status,
              () => 0,
            );
          health = (await execa('docker', ['inspect', '--format', '{{.State.Health.Status}}', name])).stdout.trim();
          if (health === 'unhealthy') break;
          await new Promise((r) => setTimeout(r, 500));
        }
        // The UID of the server process itself (PID 1), not of a new exec.
        const uid = (
          await execa('docker', ['exec', name, 'sh', '-c', "awk '/^Uid:/ {print $2}' /proc/1/status"])
        ).stdout.trim();
        const log = (await execa('docker', ['logs', name], { reject: false, all: true })).all ?? '';
        return { http, health, uid, log };
      } finally {
        await execa('docker', ['rm', '-f', name], { reject: false });
      }
    },
    async shell(tag: string, script: string) {
      const r = await execa('docker', ['run', '--rm', '--entrypoint', 'sh', tag, '-c', script], {
        reject: false,
        all: true,
      });
      return r.all ?? '';
    },
    async remove(tag: string) {
      await execa('docker', ['rmi', '-f', tag], { reject: false });
    },
  },
  buildah: {
    async build(dir: string, tag: string, buildArgs: string[]) {
      const r = await buildboxBuild(
        dir,
        tag,
        buildArgs.flatMap((a) => ['--build-arg', a]),
      );
      return { ok: r.exitCode === 0, log: r.all ?? '' };
    },
    /** buildah prints `STEP i/n: RUN … command` and, for a step from the cache, `--> Using cache` next. */
    stepCached(log: string, command: string) {
      const lines = log.split('\n');
      const at = lines.findIndex((l) => /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: RUN /.test(l) && l.includes(command));
      return at >= 0 && lines.slice(at + 1, at + 3).some((l) => l.startsWith('--> Using cache'));
    },
    async probe(tag: string, port: number, path: string): Promise<Probe> {
      // buildbox's run: the CMD as the image's USER, then the image's HEALTHCHECK inside it.
      const r = await execa(join(BUILDBOX, 'run'), [tag, String(port), path, '60'], { reject: false, all: true });
      const out = r.all ?? '';
      const field = (name: string) => new RegExp(`^${name} (\\S+)`, 'm').exec(out)?.[1] ?? '';
      // The image's USER as buildbox reports it; its `buildah run` sometimes fails here (see shell), so ask again.
      const uid = field('user') || (await ENGINE.buildah.shell(tag, 'id -u')).trim();
      return {
        http: Number(field('http')),
        health: field('healthcheck') === '0' ? 'healthy' : `healthcheck ${field('healthcheck')}`,
        uid,
        log: out,
      };
    },
    async shell(tag: string, script: string) {
      // `buildah run` now and then exits 1 with no output on this shared host: try again before failing.
      let last = '';
      for (let attempt = 0; attempt < 3; attempt++) {
        const ctr = (await execa('buildah', ['from', '--pull=never', tag])).stdout.trim();
        try {
          const r = await execa(
            'buildah',
            ['run', '--isolation', 'chroot', '--network', 'host', ctr, '--', 'sh', '-c', script],
            { reject: false, all: true },
          );
          // Seen too: exit 0 with the output lost. Every script here prints something.
          if (r.exitCode === 0 && r.all) return r.all;
          last = `buildah run exited ${r.exitCode}: ${r.all}`;
        } finally {
          await execa('buildah', ['rm', ctr], { reject: false });
        }
      }
      return last;
    },
    async remove(tag: string) {
      await execa('buildah', ['rmi', '-f', tag], { reject: false });
    },
  },
};

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup) await step();
});

describe.skipIf(!engines.length)('Poetry, PDM and Pipenv: a real lock, built and run on each engine', () => {
  // One project and one lock per manager, made once: the same lock file serves both engines.
  const projects = new Map<string, string>();
  async function lockedProject(manager: keyof typeof PROJECTS): Promise<string> {
    if (projects.has(manager)) return projects.get(manager)!;
    const dir = makeProject({}, `pkgmgr-e2e-${manager}-`);
    cpSync(join(repoRoot, 'test', 'fixtures', PROJECTS[manager].fixture), dir, { recursive: true });
    const lock = await execa(LOCK, [manager, dir, engines[0]], {
      reject: false,
      all: true,
      env: { [`${manager.toUpperCase()}_VERSION`]: INDEX_TOOLS[manager] },
    });
    expect(lock.exitCode, lock.all).toBe(0);
    addHostVirtualenvs(dir);
    const generated = await runCli(dir, ['--yes', '--port', String(PROJECTS[manager].port)]);
    expect(generated.exitCode, generated.stderr).toBe(0);
    expect(generated.stdout).toContain(`package-manager ${manager}`);
    // Where the image keeps its environment, said in the run's output.
    expect(generated.stdout).toContain("the image's virtualenv is /opt/venv, outside /app");
    expect(generated.stdout).toContain('host virtualenvs .venv/, env/ stay out of the build (.dockerignore)');
    projects.set(manager, dir);
    return dir;
  }

  const cases = (Object.keys(PROJECTS) as (keyof typeof PROJECTS)[]).flatMap((manager) =>
    engines.map((e) => [manager, e] as const),
  );
  it.each(cases)('%s on %s', async (manager, engineName) => {
    const engine = ENGINE[engineName];
    const project = PROJECTS[manager];
    const dir = await lockedProject(manager);
    const buildArgs = [`${lockedSpec(manager).versionArg}=${INDEX_TOOLS[manager]}`];
    const tag = `localhost/pkgmgr-e2e-${manager}-${engineName}:test`;
    cleanup.push(() => engine.remove(tag));

    const first = await engine.build(dir, tag, buildArgs);
    expect(first.ok, first.log.slice(-4000)).toBe(true);

    const probe = await engine.probe(tag, project.port, '/');
    expect(probe.http, probe.log).toBe(200);
    expect(probe.health, probe.log).toBe('healthy');
    expect(probe.uid, probe.log).toBe('10001');

    const inside = await engine.shell(
      tag,
      [
        `command -v ${manager} || echo "no ${manager} command"`,
        `python -c "import ${manager}" 2>/dev/null || echo "no ${manager} module"`,
        `python -c "import ${DEV_ONLY}" 2>/dev/null || echo "no ${DEV_ONLY}"`,
        'for v in /app/.venv /app/env; do test -e $v && echo "host venv $v" || echo "no $v"; done',
        'echo "python is $(command -v python)"',
      ].join('; '),
    );
    expect(inside).toContain(`no ${manager} command`);
    expect(inside).toContain(`no ${manager} module`);
    expect(inside).toContain(`no ${DEV_ONLY}`);
    expect(inside).toContain('no /app/.venv');
    expect(inside).toContain('no /app/env');
    expect(inside).toContain('python is /opt/venv/bin/python');

    // A source edit rebuilds with the locked dependencies' layer from the cache.
    writeFileSync(join(dir, project.source), `${readFileSync(join(dir, project.source), 'utf8')}\n# edited\n`);
    const second = await engine.build(dir, tag, buildArgs);
    expect(second.ok, second.log.slice(-4000)).toBe(true);
    expect(engine.stepCached(second.log, project.lockedStep), second.log).toBe(true);
  });
});

/**
 * A project that keeps its own .dockerignore, one that lists no virtualenv: the generator keeps it,
 * says so, and the host's .venv and env/ (with a decoy uvicorn) reach /app, never the environment.
 */
describe.skipIf(!engines.length)('a kept .dockerignore without the virtualenvs', () => {
  it.each(engines)('on %s: the host virtualenvs land in /app, the app runs from /opt/venv', async (engineName) => {
    const engine = ENGINE[engineName];
    const dir = makeProject({}, `pkgmgr-e2e-kept-${engineName}-`);
    cpSync(join(repoRoot, 'test', 'fixtures', 'managers', 'poetry'), dir, { recursive: true });
    addHostVirtualenvs(dir);
    writeFileSync(join(dir, '.dockerignore'), '.git\n');
    const port = 22120 + engines.indexOf(engineName);
    const generated = await runCli(dir, ['--yes', '--port', String(port)]);
    expect(generated.exitCode, generated.stderr).toBe(0);
    expect(generated.stdout).toContain('kept      .dockerignore');
    expect(generated.stderr).toContain('.dockerignore does not exclude the virtualenv .venv/');
    expect(generated.stderr).toContain('.dockerignore does not exclude the virtualenv env/');

    const tag = `localhost/pkgmgr-e2e-kept-${engineName}:test`;
    cleanup.push(() => engine.remove(tag));
    const built = await engine.build(dir, tag, [`POETRY_VERSION=${INDEX_TOOLS.poetry}`]);
    expect(built.ok, built.log.slice(-4000)).toBe(true);
    const probe = await engine.probe(tag, port, '/');
    expect(probe.http, probe.log).toBe(200);
    expect(probe.health, probe.log).toBe('healthy');
    expect(probe.log).not.toContain('the host virtualenv ran');
    const inside = await engine.shell(
      tag,
      'test -x /app/.venv/bin/uvicorn && echo "host .venv in /app"; echo "uvicorn is $(command -v uvicorn)"',
    );
    expect(inside).toContain('host .venv in /app');
    expect(inside).toContain('uvicorn is /opt/venv/bin/uvicorn');
  });
});

/**
 * uv: where Docker can pull ghcr.io/astral-sh/uv (network), the real uv locks and builds.
 * Flags and variables in builder-uv.ejs are checked against uv's documentation in
 * test/generator/package-managers.test.ts.
 */
const uvImage = `ghcr.io/astral-sh/uv:${versions.tools.uv}`;
const uvReason = !hasDocker
  ? 'no Docker engine answered'
  : (await ok('docker', ['image', 'inspect', uvImage])) || (await ok('docker', ['pull', '-q', uvImage]))
    ? undefined
    : `Docker cannot pull ${uvImage} here (no registry reachable), and uv installs only from that image`;
if (uvReason) console.warn(`e2e: uv build skipped: ${uvReason}`);

describe.skipIf(uvReason !== undefined)('uv: a real lock, built and run (Docker with network)', () => {
  it('uv', async () => {
    const dir = makeProject({}, 'pkgmgr-e2e-uv-');
    cpSync(join(repoRoot, 'test', 'fixtures', 'managers', 'uv-package'), dir, { recursive: true });
    const lock = await execa(
      'docker',
      ['run', '--rm', '-v', `${dir}:/w`, '-w', '/w', '--entrypoint', '/uv', uvImage, 'lock'],
      { reject: false, all: true },
    );
    expect(lock.exitCode, lock.all).toBe(0);
    addHostVirtualenvs(dir);
    expect((await runCli(dir, ['--yes', '--port', '22110'])).exitCode).toBe(0);
    const tag = 'localhost/pkgmgr-e2e-uv:test';
    cleanup.push(() => ENGINE.docker.remove(tag));
    const built = await ENGINE.docker.build(dir, tag, [`${packageManagerSpec('uv').versionArg}=${versions.tools.uv}`]);
    expect(built.ok, built.log.slice(-4000)).toBe(true);
    const probe = await ENGINE.docker.probe(tag, 22110, '/');
    expect(probe.http, probe.log).toBe(200);
    expect(probe.health).toBe('healthy');
    expect(probe.uid).toBe('10001');
    expect(await ENGINE.docker.shell(tag, 'command -v uv || echo "no uv"')).toContain('no uv');
  });
});
