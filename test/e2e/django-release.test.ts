/**
 * A Django project set up as deployed ones are (SECRET_KEY and the database
 * path from the environment, WhiteNoise, a `/` that opens the database and a
 * `/healthz/` that does not), generated with `--yes` alone and run on Docker:
 * static files are collected at build, the HEALTHCHECK probes the detected
 * health path (healthy while `/` still fails), and the release step
 * README.Docker.md gives (`migrate`) makes `/` answer.
 */
import { chmodSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';
import { dockerEngine, waitForHealth, waitForHttp } from './engine.js';

const TAG = 'python-docker-e2e-django-release:test';
const CONTAINER = `python-docker-e2e-django-release-${process.pid}`;
/** A host port for this file's container (the engine is shared). */
const PORT = Number(process.env.E2E_DJANGO_RELEASE_PORT ?? 26_000 + (process.pid % 900));
const docker = (args: string[]) => execa('docker', args, { reject: false, all: true });
const httpStatus = (url: string) => waitForHttp(url, 5);

afterAll(async () => {
  if (!dockerEngine) return;
  await docker(['rm', '-f', CONTAINER]);
  await dockerEngine.remove(TAG);
});

// Containers with environment and a volume: Docker only (buildah's runner takes neither).
describe.skipIf(!dockerEngine)('Django release steps on Docker', () => {
  it('collectstatic at build, HEALTHCHECK on /healthz/, migrate as README.Docker.md says', async () => {
    const dir = makeProject({}, 'e2e-django-release-');
    cpSync(join(repoRoot, 'test', 'fixtures', 'apps', 'django-release'), dir, { recursive: true });
    const generated = await runCli(dir, ['--yes']);
    expect(generated.exitCode, generated.stderr).toBe(0);
    expect(generated.stdout).toContain('health-path     /healthz/');
    const { Dockerfile: dockerfile, 'README.Docker.md': readme } = readTree(dir);
    expect(dockerfile).toContain(
      'RUN ["env", "DJANGO_SECRET_KEY=build-only-not-a-secret", "python", "manage.py", "collectstatic", "--noinput"]',
    );
    const name = dir.split('/').at(-1)!.toLowerCase();
    // In the app's running container, on the database it uses.
    const migrate = `docker exec ${name} python manage.py migrate`;
    expect(readme).toContain(migrate);

    const build = await dockerEngine!.build(dir, TAG);
    expect(build.ok, build.log.slice(-3000)).toBe(true);
    // In the image, not only in this build's log: a cached build prints no collectstatic output.
    const collected = await docker([
      'run',
      '--rm',
      TAG,
      'python',
      '-c',
      "import os; print(sorted(os.listdir('/app/staticfiles/css')))",
    ]);
    expect(collected.all).toMatch(/site\.css/);

    // The database lives in a folder both the app and the release step see.
    const data = makeProject({}, 'e2e-django-data-');
    chmodSync(data, 0o777);
    const settings = [
      '-e',
      'DJANGO_SECRET_KEY=e2e-secret',
      '-e',
      'DATABASE_PATH=/data/db.sqlite3',
      '-v',
      `${data}:/data`,
    ];
    // Docker's own health scheduler, the interval shortened so its verdict comes in seconds.
    const run = await docker([
      'run',
      '-d',
      '--name',
      CONTAINER,
      ...settings,
      '-p',
      `127.0.0.1:${PORT}:8000`,
      '--health-interval',
      '1s',
      TAG,
    ]);
    expect(run.exitCode, run.all).toBe(0);
    const base = `http://127.0.0.1:${PORT}`;

    expect(await waitForHttp(`${base}/healthz/`)).toBe(200);
    // Collected at build: WhiteNoise serves the file with DEBUG off.
    expect(await httpStatus(`${base}/static/css/site.css`)).toBe(200);
    // `/` opens the database, which has no tables yet: a probe of `/` would call the app unhealthy.
    expect(await httpStatus(`${base}/`)).toBe(500);
    expect(await waitForHealth(CONTAINER), (await docker(['logs', CONTAINER])).all).toBe('healthy');

    // The release step, as README.Docker.md gives it, in the running container (named here by the test).
    const [, ...argv] = migrate.replace(` ${name} `, ` ${CONTAINER} `).split(' ');
    const migrated = await docker(argv);
    expect(migrated.exitCode, migrated.all).toBe(0);
    expect(await httpStatus(`${base}/`)).toBe(200);
  });
});
