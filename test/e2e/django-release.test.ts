/**
 * A Django project set up as deployed ones are (SECRET_KEY and the database
 * path from the environment, WhiteNoise, a `/` that opens the database and a
 * `/healthz/` that does not), generated with `--yes` alone and run on Docker:
 * static files are collected at build, the HEALTHCHECK probes the detected
 * health path (healthy while `/` still fails), and the release step
 * README.Docker.md gives (`migrate`) makes `/` answer.
 */
import { chmodSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';
import { engine } from './engine.js';

const dockerAnswers = (await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 10_000 }).catch(() => ({ exitCode: 1 }))).exitCode === 0;
if (!dockerAnswers) {
  const message = `e2e: django-release skipped: it runs containers with environment and volumes, which needs a Docker engine (../shared/dockerbox/setup)${engine ? `; ${engine.name} is not enough` : ''}`;
  if (process.env.CI) throw new Error(`${message} (CI=${process.env.CI}, so this is an error)`);
  console.warn(message);
}

const TAG = 'python-docker-e2e-django-release:test';
const CONTAINER = `python-docker-e2e-django-release-${process.pid}`;
/** Host ports for this file's containers (the engine is shared). */
const PORT_BASE = Number(process.env.E2E_DJANGO_RELEASE_PORT ?? 26_000);
const docker = (args: string[]) => execa('docker', args, { reject: false, all: true });

async function httpStatus(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return 0;
  }
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, seconds: number): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    value = await probe();
  }
  return value;
}

afterAll(async () => {
  if (!dockerAnswers) return;
  await docker(['rm', '-f', CONTAINER]);
  await docker(['rmi', '-f', TAG]);
});

describe.skipIf(!dockerAnswers)('Django release steps on Docker', () => {
  it('collectstatic at build, HEALTHCHECK on /healthz/, migrate as README.Docker.md says', async () => {
    const dir = makeProject({}, 'e2e-django-release-');
    cpSync(join(repoRoot, 'test', 'fixtures', 'apps', 'django-release'), dir, { recursive: true });
    const generated = await runCli(dir, ['--yes']);
    expect(generated.exitCode, generated.stderr).toBe(0);
    expect(generated.stdout).toContain('health-path     /healthz/');
    const { Dockerfile: dockerfile, 'README.Docker.md': readme } = readTree(dir);
    expect(dockerfile).toContain('RUN DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput');
    const name = dir.split('/').at(-1)!.toLowerCase();
    const migrate = `docker run --rm ${name} python manage.py migrate`;
    expect(readme).toContain(migrate);

    // Docker's built-in frontend: the `# syntax=` line would fetch one from a registry (none here).
    const build = await execa('docker', ['build', '-f', '-', '-t', TAG, dir], {
      input: readFileSync(join(dir, 'Dockerfile'), 'utf8').replace(/^# syntax=.*\n/, ''),
      env: { DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' },
      reject: false,
      all: true,
    });
    expect(build.exitCode, build.all?.slice(-3000)).toBe(0);
    expect(build.all).toMatch(/1 static file copied to '\/app\/staticfiles', 1 post-processed/);

    // The database lives in a folder both the app and the release step see.
    const data = makeProject({}, 'e2e-django-data-');
    chmodSync(data, 0o777);
    const settings = ['-e', 'DJANGO_SECRET_KEY=e2e-secret', '-e', 'DATABASE_PATH=/data/db.sqlite3', '-v', `${data}:/data`];
    const port = PORT_BASE + (process.pid % 900);
    const run = await docker(['run', '-d', '--name', CONTAINER, ...settings, '-p', `127.0.0.1:${port}:8000`, TAG]);
    expect(run.exitCode, run.all).toBe(0);
    const base = `http://127.0.0.1:${port}`;

    expect(await until(() => httpStatus(`${base}/healthz/`), (s) => s === 200, 60)).toBe(200);
    // Collected at build: WhiteNoise serves the file and its hashed copy with DEBUG off.
    expect(await httpStatus(`${base}/static/css/site.css`)).toBe(200);
    // `/` opens the database, which has no tables yet: a probe of `/` would call the app unhealthy.
    expect(await httpStatus(`${base}/`)).toBe(500);
    const health = await until(
      async () => (await docker(['inspect', '--format', '{{.State.Health.Status}}', CONTAINER])).stdout.trim(),
      (s) => s !== 'starting',
      90,
    );
    expect(health, (await docker(['logs', CONTAINER])).all).toBe('healthy');

    // The release step, as README.Docker.md gives it, with the app's settings and database.
    const [, ...argv] = migrate.replace(` ${name} `, ` ${settings.join(' ')} ${TAG} `).split(' ');
    const migrated = await docker(argv);
    expect(migrated.exitCode, migrated.all).toBe(0);
    expect(await httpStatus(`${base}/`)).toBe(200);
  });
});
